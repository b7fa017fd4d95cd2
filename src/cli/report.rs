//! `entente report [FILE] [--ties F]… [-o DIR] [--from D] [--to D] [--step S] [--at D]…
//! [--alliance A]… [--state S]… [--metric M]… [--size WxH] [--svg] [--force]`: the main job.
//! Writes the metrics, every chart and `index.html` into the output folder (default
//! `output/<dataset name>`) and prints the paths written and the page to open as a `file://`
//! URL. The folder is written as a whole: into a staging folder next to it, swapped in at the
//! end, so the previous report stays complete until the new one is; a folder entente did not
//! make (no marker file) is refused unless `--force`.

use super::args::{self, SeriesArgs};
use super::input::{self, DataArgs};
use chrono::NaiveDate;
use entente::error::{Error, Result};
use entente::limits::{self, GraphSize};
use entente::plot::{Format, Size};
use entente::report::{self, names};
use std::path::{Path, PathBuf};

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub data: DataArgs,
    /// Output folder; default: output/<dataset name> (made safe as a file name).
    #[arg(
        short = 'o',
        long = "output",
        visible_alias = "out",
        value_name = "DIR"
    )]
    pub out: Option<PathBuf>,
    #[command(flatten)]
    pub series: SeriesArgs,
    /// A key date for network and heatmap charts (repeatable); default: the date before the
    /// largest change of the series. The last date is always drawn.
    #[arg(long = "at", value_name = "DATE", value_parser = args::date, allow_negative_numbers = true)]
    pub at: Vec<NaiveDate>,
    /// Chart size in pixels, WIDTHxHEIGHT.
    #[arg(long, default_value = "1600x900", value_parser = args::size)]
    pub size: Size,
    /// Write the charts as SVG instead of PNG.
    #[arg(long)]
    pub svg: bool,
    /// Only this alliance (repeatable): an id, a name, or an ATOP number. The report focuses on
    /// these; default: every alliance (the 12 largest in timelines when there are more),
    /// focused on the one whose cohesion changes most.
    #[arg(long = "alliance", value_name = "ID")]
    pub alliances: Vec<String>,
    /// A focal state (repeatable), drawn in an ego chart of its ties; default: the focal
    /// alliance's member whose alignment falls furthest.
    #[arg(long = "state", value_name = "ID")]
    pub states: Vec<String>,
    /// Only this metric's timeline (repeatable), e.g. mean_tie; default: every charted metric.
    #[arg(long = "metric", value_name = "KEY")]
    pub metrics: Vec<String>,
    /// Replace the output folder even if entente did not make it (its files are deleted).
    #[arg(long)]
    pub force: bool,
}

pub fn run(args: Args) -> Result<()> {
    let l = input::load(&args.data)?;
    // The dataset's own view fills in what no flag gives.
    let view = l.dataset.view.clone().unwrap_or_default();
    let mut series = args.series.clone();
    series.from = series.from.or(view.from);
    series.to = series.to.or(view.to);
    let (from, to) = series.range(&l.timeline, &l.label)?;
    entente::date::checked_series_dates(from, to, args.series.step()).map_err(args::too_many)?;
    let size = GraphSize::bound(&l.dataset, &l.timeline);
    limits::check_metrics(size, "the report's metrics")?;
    limits::check_network(size)?;
    let alliances = super::alliances::filter(&l.dataset, &args.alliances)?.unwrap_or_default();
    let states = args
        .states
        .iter()
        .map(|s| {
            l.dataset.state_index(s).ok_or_else(|| {
                Error::Usage(format!(
                    "--state: unknown state id {s:?} in {} (see `entente list states`)",
                    l.label
                ))
            })
        })
        .collect::<Result<Vec<_>>>()?;
    let states = if args.states.is_empty() {
        view.states.clone()
    } else {
        states
    };
    for m in &args.metrics {
        if report::charts::metric(m).is_none() {
            let known: Vec<&str> = report::charts::charted_metrics()
                .iter()
                .map(|i| i.key)
                .collect();
            return Err(Error::Usage(format!(
                "--metric: unknown metric {m:?}; charted metrics: {}",
                known.join(", ")
            )));
        }
    }
    let opts = report::Options {
        from: Some(from),
        to: Some(to),
        step: args.series.step(),
        at: if args.at.is_empty() {
            view.at.clone()
        } else {
            args.at
        },
        size: args.size,
        format: if args.svg { Format::Svg } else { Format::Png },
        alliances,
        focus: view.focus.clone(),
        states,
        metrics: args.metrics,
    };
    let dir = args
        .out
        .unwrap_or_else(|| PathBuf::from("output").join(names::sanitize(&l.dataset.name)));
    let built = report::build(&l.dataset, &l.timeline, &opts, &l.label)?;
    let written = entente::output::replace_folder(&dir, args.force, "--force", |staging| {
        let files = report::write(staging, &built)?;
        Ok(files
            .iter()
            .filter_map(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
            .collect())
    })?;
    let mut out = String::new();
    for p in &written {
        out.push_str(&format!("{}\n", p.display()));
    }
    out.push_str(&format!("open {}\n", file_url(&dir.join(&built.open))?));
    entente::output::print(&out)
}

/// The `file://` URL of a path: made absolute, every byte other than an unreserved URL
/// character or `/` percent-encoded (so spaces, `#` and `%` in folder names survive).
fn file_url(path: &Path) -> Result<String> {
    let abs = std::path::absolute(path).map_err(|e| Error::io(path, e))?;
    let mut url = String::from("file://");
    #[cfg(unix)]
    let bytes = std::os::unix::ffi::OsStrExt::as_bytes(abs.as_os_str()).to_vec();
    #[cfg(not(unix))]
    let bytes = abs.to_string_lossy().replace('\\', "/").into_bytes();
    if bytes.first() != Some(&b'/') {
        url.push('/'); // a Windows drive letter: file:///C:/…
    }
    for b in bytes {
        if b.is_ascii_alphanumeric() || matches!(b, b'/' | b'-' | b'.' | b'_' | b'~' | b':') {
            url.push(char::from(b));
        } else {
            url.push_str(&format!("%{b:02X}"));
        }
    }
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_urls_are_absolute_and_encoded() {
        let url = file_url(Path::new("/tmp/my report/#1/index.html")).unwrap();
        assert_eq!(url, "file:///tmp/my%20report/%231/index.html");
        let rel = file_url(Path::new("out/index.html")).unwrap();
        assert!(
            rel.starts_with("file:///") && rel.ends_with("/out/index.html"),
            "{rel}"
        );
        assert_eq!(file_url(Path::new("/t/é")).unwrap(), "file:///t/%C3%A9");
    }
}
