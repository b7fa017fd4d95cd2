//! Flag errors, pinned: for each wrong flag the exact first line of the message and exit status 2,
//! with nothing on standard output. Also `--help` and `--version`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::entente;

/// (arguments, the first line of standard error). `@empty` is a dataset with no events, `@png` an
/// output path in a temporary folder.
const CASES: &[(&[&str], &str)] = &[
    (
        &["metrics", "--step", "0m"],
        "error: --step: invalid step \"0m\": N must be at least 1",
    ),
    (
        &["metrics", "--step", "1q"],
        "error: --step: invalid step \"1q\": expected N followed by d, w, m or y (e.g. 1m)",
    ),
    (
        &["report", "--step", "m", "--out", "@dir"],
        "error: --step: invalid step \"m\": expected N followed by d, w, m or y (e.g. 1m)",
    ),
    (
        &["metrics", "--from", "2024-01-01", "--to", "2020-01-01"],
        "error: --from 2024-01-01 is after --to 2020-01-01",
    ),
    (
        &[
            "plot",
            "timeline",
            "--out",
            "@png",
            "--from",
            "2024-01-01",
            "--to",
            "2020-01-01",
        ],
        "error: --from 2024-01-01 is after --to 2020-01-01",
    ),
    (
        &["metrics", "--from", "2024-02-30"],
        "error: --from: invalid date \"2024-02-30\": no such day in the calendar",
    ),
    (
        &["metrics", "--to", "20240101"],
        "error: --to: invalid date \"20240101\": expected YYYY-MM-DD",
    ),
    (
        &["snapshot", "--date", "2024-13-01"],
        "error: --date: invalid date \"2024-13-01\": no such day in the calendar",
    ),
    (
        &["plot", "timeline", "--out", "@png", "--size", "100x100"],
        "error: --size: invalid size 100x100: each side must be between 320 and 8000 pixels",
    ),
    (
        &["plot", "timeline", "--out", "@png", "--size", "big"],
        "error: --size: invalid size \"big\": expected WIDTHxHEIGHT in pixels, e.g. 1600x900",
    ),
    (
        &["report", "--size", "10x10000", "--out", "@dir"],
        "error: --size: invalid size 10x10000: each side must be between 320 and 8000 pixels",
    ),
    (
        &["metrics", "@empty"],
        "error: @empty: the dataset has no events: give --from and --to",
    ),
    (
        &["report", "@empty", "--out", "@dir"],
        "error: @empty: the dataset has no events: give --from and --to",
    ),
    (
        &["plot", "timeline", "@empty", "--out", "@png"],
        "error: @empty: the dataset has no events: give --from and --to",
    ),
    (
        &["plot", "network", "--out", "@png", "--from", "2020-01-01"],
        "error: --from/--to/--step does not apply to `plot network`",
    ),
    (
        &["plot", "heatmap", "--out", "@png", "--metric", "density"],
        "error: --metric does not apply to `plot heatmap`",
    ),
    (
        &["plot", "timeline", "--out", "@png", "--date", "2020-01-01"],
        "error: --date does not apply to `plot timeline`",
    ),
    (
        &["plot", "members", "--out", "@png"],
        "error: plot members needs exactly one --alliance ID (alliances: CSTO, NATO, RUS-ARM, \
         UNION-STATE, RUS-CHN, CHN-PRK, TUR-AZE, RUS-AZE, RUS-PRK, RUS-IRN, RUS-KAZ, RUS-KGZ, RUS-TJK)",
    ),
    (
        &["plot", "timeline", "--out", "@png", "--metric", "nope"],
        "error: --metric: unknown alliance metric \"nope\" (known: mean_tie, members, suspended, \
         density, min_tie, clustering, balance, ei_index, fiedler)",
    ),
    (
        &["metrics", "--alliance", "NOPE"],
        "error: --alliance: unknown alliance id \"NOPE\" (known: CSTO, NATO, RUS-ARM, \
         UNION-STATE, RUS-CHN, CHN-PRK, TUR-AZE, RUS-AZE, RUS-PRK, RUS-IRN, RUS-KAZ, RUS-KGZ, RUS-TJK)",
    ),
    (
        &["snapshot"],
        "error: the following required arguments were not provided:",
    ),
    (
        &["metrics", "--format", "xml"],
        "error: invalid value 'xml' for '--format <FORMAT>'",
    ),
    (
        &["snapshot", "--date", "2020-01-01", "--bogus"],
        "error: unexpected argument '--bogus' found",
    ),
];

#[test]
fn flag_errors_are_pinned() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty.json");
    std::fs::write(
        &empty,
        r#"{"name":"empty","states":[{"id":"A","name":"A"}]}"#,
    )
    .unwrap();
    let empty = empty.to_str().unwrap().to_string();
    let png = dir.path().join("out.png").to_str().unwrap().to_string();
    let out_dir = dir.path().join("report").to_str().unwrap().to_string();
    let subst = |s: &str| {
        s.replace("@empty", &empty)
            .replace("@png", &png)
            .replace("@dir", &out_dir)
    };
    let mut failures = vec![];
    for (args, want) in CASES {
        let args: Vec<String> = args.iter().map(|a| subst(a)).collect();
        let want = subst(want);
        let out = entente().args(&args).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        let first = err.lines().next().unwrap_or("");
        if out.status.code() != Some(2) || first != want || !out.stdout.is_empty() {
            failures.push(format!(
                "{args:?}: status {:?}, stdout {} bytes, first line\n  {first}\nexpected\n  {want}",
                out.status.code(),
                out.stdout.len()
            ));
        }
    }
    assert!(
        !dir.path().join("out.png").exists() && !dir.path().join("report").exists(),
        "a refused command wrote its output"
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn help_and_version() {
    let out = entente().arg("--version").output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        format!("entente {}\n", env!("CARGO_PKG_VERSION"))
    );
    let out = entente().arg("--help").output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let help = String::from_utf8(out.stdout).unwrap();
    for cmd in [
        "validate", "snapshot", "metrics", "diff", "plot", "report", "import", "export", "generate",
    ] {
        assert!(
            help.lines().any(|l| l.trim_start().starts_with(cmd)),
            "--help lists {cmd}:\n{help}"
        );
    }
    for cmd in ["snapshot", "metrics", "plot", "report"] {
        let out = entente().args([cmd, "--help"]).output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{cmd} --help");
        let help = String::from_utf8(out.stdout).unwrap();
        assert!(help.contains(&format!("Usage: entente {cmd}")), "{help}");
        assert!(help.contains("--ties"), "{cmd} --help documents --ties");
    }
    // No command is a usage error with the usage on stderr.
    let out = entente().output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("Usage: entente"));
}
