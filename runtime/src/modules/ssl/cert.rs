//! X.509 certificates decoded into the dict CPython's `_decode_certificate` makes
//! (`getpeercert()`, `get_ca_certs()`, `_test_decode_cert`): subject and issuer as
//! tuples of RDNs of (long name, value) pairs, version, serial number in hex, validity
//! times as OpenSSL prints them, subjectAltName, OCSP, caIssuers and
//! crlDistributionPoints. A small DER reader: rustls hands over certificates only as
//! bytes.
use super::oid;
use crate::types::dict::DictObj;
use crate::types::str::{new_str, new_string};
use crate::types::tuple::TupleObj;
use crate::value::Value;

/// One DER element: its tag byte, body, and what follows it.
struct Tlv<'a> {
    tag: u8,
    body: &'a [u8],
}

/// Split the first element off `d`.
fn next<'a>(d: &mut &'a [u8]) -> Option<Tlv<'a>> {
    let tag = *d.first()?;
    let first = *d.get(1)?;
    let (len, hdr) = if first < 0x80 {
        (first as usize, 2)
    } else {
        let n = (first & 0x7f) as usize;
        if n == 0 || n > 4 || d.len() < 2 + n {
            return None;
        }
        let mut l = 0usize;
        for &b in &d[2..2 + n] {
            l = (l << 8) | b as usize;
        }
        (l, 2 + n)
    };
    let end = hdr.checked_add(len)?;
    if d.len() < end {
        return None;
    }
    let body = &d[hdr..end];
    *d = &d[end..];
    Some(Tlv { tag, body })
}

/// The elements inside a constructed body.
fn items(mut body: &[u8]) -> Option<Vec<Tlv<'_>>> {
    let mut out = Vec::new();
    while !body.is_empty() {
        out.push(next(&mut body)?);
    }
    Some(out)
}

/// What a certificate holds, decoded.
pub struct Cert {
    pub subject: Vec<Vec<(String, String)>>,
    pub issuer: Vec<Vec<(String, String)>>,
    pub version: i64,
    pub serial: String,
    pub not_before: String,
    pub not_after: String,
    pub alt_names: Option<Vec<(String, Value)>>,
    pub ocsp: Vec<String>,
    pub ca_issuers: Vec<String>,
    pub crl: Vec<String>,
    /// basicConstraints CA:TRUE.
    pub is_ca: bool,
}

/// An ASN.1 string's text (UTF-8 as OpenSSL's `ASN1_STRING_to_UTF8` gives it).
fn string_value(t: &Tlv) -> String {
    match t.tag {
        0x1e => {
            let units: Vec<u16> = t
                .body
                .chunks(2)
                .map(|c| u16::from_be_bytes([c[0], *c.get(1).unwrap_or(&0)]))
                .collect();
            String::from_utf16_lossy(&units)
        }
        0x1c => t
            .body
            .chunks(4)
            .filter_map(|c| {
                let mut b = [0u8; 4];
                b[..c.len()].copy_from_slice(c);
                char::from_u32(u32::from_be_bytes(b))
            })
            .collect(),
        0x14 => t.body.iter().map(|&b| b as char).collect(),
        _ => String::from_utf8_lossy(t.body).into_owned(),
    }
}

fn name(body: &[u8]) -> Option<Vec<Vec<(String, String)>>> {
    let mut out = Vec::new();
    for rdn in items(body)? {
        let mut pairs = Vec::new();
        for atv in items(rdn.body)? {
            let parts = items(atv.body)?;
            let (o, v) = (parts.first()?, parts.get(1)?);
            pairs.push((oid::long_name(o.body), string_value(v)));
        }
        out.push(pairs);
    }
    Some(out)
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// `ASN1_TIME_print`: "Aug 29 14:23:15 2018 GMT".
fn time(t: &Tlv) -> Option<String> {
    let s = std::str::from_utf8(t.body).ok()?;
    let (year, rest) = if t.tag == 0x17 {
        let yy: i64 = s.get(0..2)?.parse().ok()?;
        (if yy < 50 { 2000 + yy } else { 1900 + yy }, s.get(2..)?)
    } else {
        (s.get(0..4)?.parse().ok()?, s.get(4..)?)
    };
    let num = |r: std::ops::Range<usize>| -> Option<usize> { rest.get(r)?.parse().ok() };
    let (mo, d, h, mi) = (num(0..2)?, num(2..4)?, num(4..6)?, num(6..8)?);
    let sec = num(8..10).unwrap_or(0);
    let month = MONTHS.get(mo.checked_sub(1)?)?;
    Some(format!("{month} {d:2} {h:02}:{mi:02}:{sec:02} {year} GMT"))
}

/// One GeneralName as CPython's `_get_peer_alt_names` gives it.
fn general_name(g: &Tlv) -> (String, Value) {
    let text = |b: &[u8]| new_string(String::from_utf8_lossy(b).into_owned());
    match g.tag {
        0x82 => ("DNS".into(), text(g.body)),
        0x81 => ("email".into(), text(g.body)),
        0x86 => ("URI".into(), text(g.body)),
        0x87 => {
            let s = match g.body.len() {
                4 => format!("{}.{}.{}.{}", g.body[0], g.body[1], g.body[2], g.body[3]),
                16 => g
                    .body
                    .chunks(2)
                    .map(|c| format!("{:X}", u16::from_be_bytes([c[0], c[1]])))
                    .collect::<Vec<_>>()
                    .join(":"),
                _ => "<invalid>".into(),
            };
            ("IP Address".into(), new_string(s))
        }
        0x88 => ("Registered ID".into(), new_string(oid::long_name(g.body))),
        0xa4 => {
            let n = items(g.body)
                .and_then(|v| v.first().and_then(|s| name(s.body)))
                .unwrap_or_default();
            ("DirName".into(), name_value(&n))
        }
        _ => ("othername".into(), new_str("<unsupported>")),
    }
}

/// Parse a DER certificate; `None` for malformed input.
pub fn parse(der: &[u8]) -> Option<Cert> {
    let mut d = der;
    let cert = next(&mut d)?;
    let mut parts = items(cert.body)?.into_iter();
    let tbs = parts.next()?;
    let mut f = items(tbs.body)?.into_iter().peekable();
    let mut version = 1;
    if f.peek()?.tag == 0xa0 {
        let v = f.next()?;
        let inner = items(v.body)?;
        version = inner.first()?.body.last().copied().unwrap_or(0) as i64 + 1;
    }
    let serial_t = f.next()?;
    let mut sb = serial_t.body;
    while sb.len() > 1 && sb[0] == 0 {
        sb = &sb[1..];
    }
    let serial: String = sb.iter().map(|b| format!("{b:02X}")).collect();
    let _sig = f.next()?;
    let issuer = name(f.next()?.body)?;
    let validity = items(f.next()?.body)?;
    let not_before = time(validity.first()?)?;
    let not_after = time(validity.get(1)?)?;
    let subject = name(f.next()?.body)?;
    let mut c = Cert {
        subject,
        issuer,
        version,
        serial,
        not_before,
        not_after,
        alt_names: None,
        ocsp: vec![],
        ca_issuers: vec![],
        crl: vec![],
        is_ca: false,
    };
    for t in f {
        if t.tag != 0xa3 {
            continue;
        }
        let exts = items(t.body)?;
        for ext in items(exts.first()?.body)? {
            let e = items(ext.body)?;
            let id = oid::dotted(e.first()?.body);
            let value = e.last()?.body;
            extension(&mut c, &id, value);
        }
    }
    Some(c)
}

fn extension(c: &mut Cert, id: &str, value: &[u8]) {
    let Some(seq) = items(value).and_then(|v| v.into_iter().next()) else {
        return;
    };
    match id {
        "2.5.29.17" => {
            let names = items(seq.body).unwrap_or_default();
            c.alt_names = Some(names.iter().map(general_name).collect());
        }
        "2.5.29.19" => {
            let fields = items(seq.body).unwrap_or_default();
            c.is_ca = fields
                .first()
                .is_some_and(|b| b.tag == 0x01 && b.body.first().is_some_and(|&x| x != 0));
        }
        "1.3.6.1.5.5.7.1.1" => {
            for ad in items(seq.body).unwrap_or_default() {
                let Some(p) = items(ad.body) else { continue };
                let (Some(m), Some(loc)) = (p.first(), p.get(1)) else {
                    continue;
                };
                if loc.tag != 0x86 {
                    continue;
                }
                let uri = String::from_utf8_lossy(loc.body).into_owned();
                match oid::dotted(m.body).as_str() {
                    "1.3.6.1.5.5.7.48.1" => c.ocsp.push(uri),
                    "1.3.6.1.5.5.7.48.2" => c.ca_issuers.push(uri),
                    _ => {}
                }
            }
        }
        "2.5.29.31" => {
            for dp in items(seq.body).unwrap_or_default() {
                // DistributionPoint { [0] distributionPoint { [0] fullName GeneralNames } }
                let Some(fields) = items(dp.body) else {
                    continue;
                };
                for f in fields.iter().filter(|f| f.tag == 0xa0) {
                    for full in items(f.body).unwrap_or_default().iter() {
                        if full.tag != 0xa0 {
                            continue;
                        }
                        for g in items(full.body).unwrap_or_default() {
                            if g.tag == 0x86 {
                                c.crl.push(String::from_utf8_lossy(g.body).into_owned());
                            }
                        }
                    }
                }
            }
        }
        _ => {}
    }
}

fn name_value(n: &[Vec<(String, String)>]) -> Value {
    TupleObj::new_value(
        n.iter()
            .map(|rdn| {
                TupleObj::new_value(
                    rdn.iter()
                        .map(|(k, v)| TupleObj::from_items([new_str(k), new_str(v)]))
                        .collect(),
                )
            })
            .collect(),
    )
}

fn strs(v: &[String]) -> Value {
    TupleObj::new_value(v.iter().map(|s| new_str(s)).collect())
}

/// The dict `getpeercert()` returns.
pub fn to_dict(c: &Cert) -> Value {
    let d = DictObj::new();
    d.set_str("subject", name_value(&c.subject));
    d.set_str("issuer", name_value(&c.issuer));
    d.set_str("version", Value::int(c.version));
    d.set_str("serialNumber", new_str(&c.serial));
    d.set_str("notBefore", new_str(&c.not_before));
    d.set_str("notAfter", new_str(&c.not_after));
    if let Some(alt) = &c.alt_names {
        let t = alt
            .iter()
            .map(|(k, v)| TupleObj::from_items([new_str(k), v.clone()]))
            .collect();
        d.set_str("subjectAltName", TupleObj::new_value(t));
    }
    if !c.ocsp.is_empty() {
        d.set_str("OCSP", strs(&c.ocsp));
    }
    if !c.ca_issuers.is_empty() {
        d.set_str("caIssuers", strs(&c.ca_issuers));
    }
    if !c.crl.is_empty() {
        d.set_str("crlDistributionPoints", strs(&c.crl));
    }
    Value::alloc(d)
}
