//! The Debian control-file syntax shared by dpkg's `status` and `status.d/*`: paragraphs
//! separated by blank lines, `Field: value` lines, continuation lines starting with
//! whitespace. Only the fields catalogers use are kept.

/// Calls `paragraph` with the fields of each paragraph, in order.
pub fn for_each_paragraph<'a>(text: &'a str, mut paragraph: impl FnMut(&[(&'a str, &'a str)])) {
    let mut fields: Vec<(&str, &str)> = Vec::new();
    for line in text.lines() {
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.trim().is_empty() {
            if !fields.is_empty() {
                paragraph(&fields);
                fields.clear();
            }
            continue;
        }
        if line.starts_with([' ', '\t']) {
            continue; // continuation of a multi-line field (Description, Conffiles): not needed
        }
        if let Some((k, v)) = line.split_once(':') {
            fields.push((k.trim(), v.trim()));
        }
    }
    if !fields.is_empty() {
        paragraph(&fields);
    }
}

pub fn field<'a>(fields: &[(&'a str, &'a str)], name: &str) -> Option<&'a str> {
    fields.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| *v).filter(|v| !v.is_empty())
}
