//! Choosing which persons or households a weekly process visits, without a
//! branch per entity.
//!
//! Whether an entity has anything to do this week (a seeker, a household
//! that may move, a person whose services may change) varies at random from
//! one entity to the next, so a branch on it is mispredicted about as often
//! as the answer changes: that was most of the cost of the weekly passes.
//! Instead every index is written and the count advances only for those
//! chosen (branch-free compaction); the process then walks the chosen
//! indices, in the same order as before, so random draws and results are
//! unchanged.

/// Writes the positions of the `true`s of `chosen` (counted from 0) to
/// `buffer` from `start` on, in order, and returns where they end. The
/// buffer only grows, so that it is not cleared week after week.
#[inline]
pub fn select(
    buffer: &mut Vec<u32>,
    start: usize,
    chosen: impl ExactSizeIterator<Item = bool>,
) -> usize {
    let len = chosen.len();
    if buffer.len() < start + len {
        buffer.resize(start + len, 0);
    }
    let slots = &mut buffer[start..start + len];
    let mut n = 0;
    for (i, keep) in chosen.enumerate() {
        slots[n] = i as u32;
        n += usize::from(keep);
    }
    start + n
}

#[cfg(test)]
mod tests {
    use super::select;

    #[test]
    fn keeps_the_chosen_in_order_after_start() {
        let mut buffer = vec![7; 2];
        let end = select(&mut buffer, 2, [true, false, false, true, true].into_iter());
        assert_eq!(&buffer[..end], &[7, 7, 0, 3, 4]);
        let end = select(&mut buffer, 0, [false, false].into_iter());
        assert_eq!(end, 0);
        // The buffer kept its length: nothing was cleared.
        assert_eq!(buffer.len(), 7);
    }
}
