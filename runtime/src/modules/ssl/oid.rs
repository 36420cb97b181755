//! The ASN.1 object identifiers `_ssl` names (certificate name attributes, extended key
//! usages, extensions), with OpenSSL's NIDs and short and long names, for `txt2obj`,
//! `nid2obj` and the names in decoded certificates. OpenSSL knows about a thousand;
//! these are the ones certificates and `ssl.py` use.

/// (nid, short name, long name, dotted OID), as `_ssl.txt2obj` returns them.
pub type Obj = (i64, &'static str, &'static str, &'static str);

const TABLE: &[Obj] = &[
    (6, "rsaEncryption", "rsaEncryption", "1.2.840.113549.1.1.1"),
    (13, "CN", "commonName", "2.5.4.3"),
    (14, "C", "countryName", "2.5.4.6"),
    (15, "L", "localityName", "2.5.4.7"),
    (16, "ST", "stateOrProvinceName", "2.5.4.8"),
    (17, "O", "organizationName", "2.5.4.10"),
    (18, "OU", "organizationalUnitName", "2.5.4.11"),
    (48, "emailAddress", "emailAddress", "1.2.840.113549.1.9.1"),
    (83, "keyUsage", "X509v3 Key Usage", "2.5.29.15"),
    (
        85,
        "subjectAltName",
        "X509v3 Subject Alternative Name",
        "2.5.29.17",
    ),
    (
        87,
        "basicConstraints",
        "X509v3 Basic Constraints",
        "2.5.29.19",
    ),
    (99, "GN", "givenName", "2.5.4.42"),
    (100, "SN", "surname", "2.5.4.4"),
    (101, "initials", "initials", "2.5.4.43"),
    (
        103,
        "crlDistributionPoints",
        "X509v3 CRL Distribution Points",
        "2.5.29.31",
    ),
    (105, "serialNumber", "serialNumber", "2.5.4.5"),
    (106, "title", "title", "2.5.4.12"),
    (
        126,
        "extendedKeyUsage",
        "X509v3 Extended Key Usage",
        "2.5.29.37",
    ),
    (
        129,
        "serverAuth",
        "TLS Web Server Authentication",
        "1.3.6.1.5.5.7.3.1",
    ),
    (
        130,
        "clientAuth",
        "TLS Web Client Authentication",
        "1.3.6.1.5.5.7.3.2",
    ),
    (131, "codeSigning", "Code Signing", "1.3.6.1.5.5.7.3.3"),
    (
        132,
        "emailProtection",
        "E-mail Protection",
        "1.3.6.1.5.5.7.3.4",
    ),
    (133, "timeStamping", "Time Stamping", "1.3.6.1.5.5.7.3.8"),
    (174, "dnQualifier", "dnQualifier", "2.5.4.46"),
    (
        177,
        "authorityInfoAccess",
        "Authority Information Access",
        "1.3.6.1.5.5.7.1.1",
    ),
    (178, "OCSP", "OCSP", "1.3.6.1.5.5.7.48.1"),
    (179, "caIssuers", "CA Issuers", "1.3.6.1.5.5.7.48.2"),
    (180, "OCSPSigning", "OCSP Signing", "1.3.6.1.5.5.7.3.9"),
    (391, "DC", "domainComponent", "0.9.2342.19200300.100.1.25"),
    (408, "id-ecPublicKey", "id-ecPublicKey", "1.2.840.10045.2.1"),
    (458, "UID", "userId", "0.9.2342.19200300.100.1.1"),
    (
        509,
        "generationQualifier",
        "generationQualifier",
        "2.5.4.44",
    ),
    (510, "pseudonym", "pseudonym", "2.5.4.65"),
    (660, "street", "streetAddress", "2.5.4.9"),
    (661, "postalCode", "postalCode", "2.5.4.17"),
    (
        668,
        "RSA-SHA256",
        "sha256WithRSAEncryption",
        "1.2.840.113549.1.1.11",
    ),
    (860, "businessCategory", "businessCategory", "2.5.4.15"),
    (
        955,
        "jurisdictionL",
        "jurisdictionLocalityName",
        "1.3.6.1.4.1.311.60.2.1.1",
    ),
    (
        956,
        "jurisdictionST",
        "jurisdictionStateOrProvinceName",
        "1.3.6.1.4.1.311.60.2.1.2",
    ),
    (
        957,
        "jurisdictionC",
        "jurisdictionCountryName",
        "1.3.6.1.4.1.311.60.2.1.3",
    ),
    (1087, "ED25519", "ED25519", "1.3.101.112"),
    (
        1089,
        "organizationIdentifier",
        "organizationIdentifier",
        "2.5.4.97",
    ),
];

pub fn by_nid(nid: i64) -> Option<&'static Obj> {
    TABLE.iter().find(|o| o.0 == nid)
}

pub fn by_oid(oid: &str) -> Option<&'static Obj> {
    TABLE.iter().find(|o| o.3 == oid)
}

/// `OBJ_txt2obj`: a dotted OID, or with `names` also a short or long name.
pub fn by_text(txt: &str, names: bool) -> Option<&'static Obj> {
    by_oid(txt).or_else(|| {
        if names {
            TABLE.iter().find(|o| o.1 == txt || o.2 == txt)
        } else {
            None
        }
    })
}

/// The dotted text of a DER-encoded OID body.
pub fn dotted(body: &[u8]) -> String {
    let mut parts: Vec<u64> = Vec::new();
    let mut acc: u64 = 0;
    for &b in body {
        acc = (acc << 7) | u64::from(b & 0x7f);
        if b & 0x80 == 0 {
            if parts.is_empty() {
                let (first, second) = match acc {
                    0..=39 => (0, acc),
                    40..=79 => (1, acc - 40),
                    _ => (2, acc - 80),
                };
                parts.push(first);
                parts.push(second);
            } else {
                parts.push(acc);
            }
            acc = 0;
        }
    }
    parts
        .iter()
        .map(u64::to_string)
        .collect::<Vec<_>>()
        .join(".")
}

/// The name OpenSSL prints for an OID: its long name, else the dotted text.
pub fn long_name(body: &[u8]) -> String {
    let d = dotted(body);
    match by_oid(&d) {
        Some(o) => o.2.to_string(),
        None => d,
    }
}
