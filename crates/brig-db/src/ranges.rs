//! A compact encoding of OSV ranges for the package table: `[["E","i0","f1.2.3"]]`
//! (kind letter, then one string per event: `i`ntroduced, `f`ixed, `l`ast affected,
//! li`m`it) instead of OSV's `[{"type":"ECOSYSTEM","events":[{"introduced":"0"},…]}]`.
//! A third of the bytes: the package table is sorted by package at the end of a build,
//! and every byte less there is time saved.

use brig_advisory::{Event, Range, RangeKind};

pub(crate) fn encode(ranges: &[Range]) -> String {
    let compact: Vec<Vec<String>> = ranges
        .iter()
        .map(|r| {
            let kind = match r.kind {
                RangeKind::Ecosystem => "E",
                RangeKind::Semver => "S",
                RangeKind::Git => "G",
            };
            std::iter::once(kind.to_owned())
                .chain(r.events.iter().map(|e| match e {
                    Event::Introduced(v) => format!("i{v}"),
                    Event::Fixed(v) => format!("f{v}"),
                    Event::LastAffected(v) => format!("l{v}"),
                    Event::Limit(v) => format!("m{v}"),
                }))
                .collect()
        })
        .collect();
    serde_json::to_string(&compact).unwrap_or_else(|_| "[]".into())
}

pub(crate) fn decode(text: &str) -> Result<Vec<Range>, String> {
    let compact: Vec<Vec<String>> = serde_json::from_str(text).map_err(|e| e.to_string())?;
    compact
        .into_iter()
        .map(|r| {
            let mut parts = r.into_iter();
            let kind = match parts.next().as_deref() {
                Some("E") => RangeKind::Ecosystem,
                Some("S") => RangeKind::Semver,
                Some("G") => RangeKind::Git,
                other => return Err(format!("unknown range kind {other:?}")),
            };
            let events = parts
                .map(|p| {
                    let mut chars = p.chars();
                    let tag = chars.next();
                    let v = chars.as_str().to_owned();
                    match tag {
                        Some('i') => Ok(Event::Introduced(v)),
                        Some('f') => Ok(Event::Fixed(v)),
                        Some('l') => Ok(Event::LastAffected(v)),
                        Some('m') => Ok(Event::Limit(v)),
                        _ => Err(format!("unknown event {p:?}")),
                    }
                })
                .collect::<Result<_, _>>()?;
            Ok(Range { kind, events })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        let ranges = vec![
            Range {
                kind: RangeKind::Ecosystem,
                events: vec![Event::Introduced("0".into()), Event::Fixed("1:2.3-4|x\"y".into())],
            },
            Range {
                kind: RangeKind::Semver,
                events: vec![Event::Introduced("1.0.0".into()), Event::LastAffected("1.2.0".into())],
            },
            Range { kind: RangeKind::Git, events: vec![Event::Introduced("0".into()), Event::Limit("abc".into())] },
        ];
        let text = encode(&ranges);
        assert_eq!(decode(&text).unwrap(), ranges);
        assert!(text.len() < serde_json::to_string(&ranges).unwrap().len() / 2);
        assert!(decode("[[\"X\"]]").is_err());
        assert!(decode("[[\"E\",\"z1\"]]").is_err());
    }
}
