//! A replication's weekly indicators as one dense array.

/// One replication's weekly indicators: `values[(week × slots + slot) ×
/// indicators + indicator]`, slot = region index, with the last slot national.
#[derive(Debug, Clone)]
pub struct Series {
    pub weeks: usize,
    pub slots: usize,
    pub indicators: usize,
    pub values: Vec<f64>,
}

impl Series {
    pub fn new(weeks: usize, regions: usize, indicators: usize) -> Series {
        Series {
            weeks,
            slots: regions + 1,
            indicators,
            values: vec![0.0; weeks * (regions + 1) * indicators],
        }
    }
    #[inline]
    pub fn index(&self, week: usize, slot: usize, indicator: usize) -> usize {
        (week * self.slots + slot) * self.indicators + indicator
    }
    pub fn get(&self, week: usize, slot: usize, indicator: usize) -> f64 {
        self.values[self.index(week, slot, indicator)]
    }
    pub fn set(&mut self, week: usize, slot: usize, indicator: usize, v: f64) {
        let i = self.index(week, slot, indicator);
        self.values[i] = v;
    }
    /// The national slot.
    pub fn national(&self) -> usize {
        self.slots - 1
    }
    /// One week's row of a slot.
    pub fn row_mut(&mut self, week: usize, slot: usize) -> &mut [f64] {
        let start = self.index(week, slot, 0);
        &mut self.values[start..start + self.indicators]
    }
}
