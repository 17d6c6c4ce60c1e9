//! Every bundled scenario and experiment is a valid worked example of the
//! format, and opens with a comment block citing its evidence.

use std::path::Path;

#[test]
fn every_bundled_file_validates_and_cites_its_evidence() {
    let mut n = 0;
    for entry in std::fs::read_dir("scenarios").unwrap() {
        let path = entry.unwrap().path();
        if path.extension().and_then(|e| e.to_str()) != Some("yaml") {
            continue;
        }
        if let Err(d) = foresight::experiment::load(&path) {
            panic!("{} is invalid:\n{d}", path.display());
        }
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(
            text.starts_with('#'),
            "{} must open with a comment block",
            path.display()
        );
        let cites = text.contains("docs/sources.md");
        assert!(
            cites && text.contains("assumption"),
            "{}: cite the entries of docs/sources.md and mark assumptions",
            path.display()
        );
        n += 1;
    }
    assert!(n >= 8, "{n} bundled files");
    assert!(Path::new("scenarios/baseline.yaml").exists());
}
