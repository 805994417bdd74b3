//! Property tests for the HTTP-shaped events: base64 bodies and the single/multi-value header and
//! query lookups.
#![cfg(all(
    feature = "alb",
    feature = "apigw",
    feature = "function_url",
    feature = "vpc_lattice"
))]

use std::collections::{BTreeMap, HashMap};

use lambda_fn_events::alb::{AlbTargetGroupRequest, AlbTargetGroupResponse};
use lambda_fn_events::apigw::{
    ApiGatewayProxyRequest, ApiGatewayProxyResponse, ApiGatewayV2HttpRequest, ApiGatewayV2HttpResponse,
};
use lambda_fn_events::encoding::{decode_body, encode_base64};
use lambda_fn_events::function_url::{LambdaFunctionUrlRequest, LambdaFunctionUrlResponse};
use lambda_fn_events::vpc_lattice::VpcLatticeResponse;
use proptest::prelude::*;

/// `name` with the letters whose bit is set in `mask` upper-cased.
fn recase(name: &str, mask: u64) -> String {
    name.chars()
        .enumerate()
        .map(|(i, c)| {
            if mask >> (i % 64) & 1 == 1 {
                c.to_ascii_uppercase()
            } else {
                c
            }
        })
        .collect()
}

/// Where a generated name is stored: only in the single map, only in the multi map, or in both.
#[derive(Debug, Clone)]
struct Entry {
    place: u8,
    single: String,
    multi: Vec<String>,
    stored_case: u64,
    lookup_case: u64,
}

fn entries() -> impl Strategy<Value = BTreeMap<String, Entry>> {
    let entry = (
        0u8..3,
        "[ -~]{0,12}",
        prop::collection::vec("[ -~]{0,12}", 0..4),
        any::<u64>(),
        any::<u64>(),
    )
        .prop_map(|(place, single, multi, stored_case, lookup_case)| Entry {
            place,
            single,
            multi,
            stored_case,
            lookup_case,
        });
    // Names are distinct when compared case-insensitively (lower-case generated, re-cased on storage).
    prop::collection::btree_map("[a-z][a-z0-9-]{0,10}", entry, 0..10)
}

fn build_maps(entries: &BTreeMap<String, Entry>) -> (HashMap<String, String>, HashMap<String, Vec<String>>) {
    let mut single = HashMap::new();
    let mut multi = HashMap::new();
    for (name, e) in entries {
        let stored = recase(name, e.stored_case);
        if e.place != 1 {
            single.insert(stored.clone(), e.single.clone());
        }
        if e.place != 0 {
            multi.insert(stored, e.multi.clone());
        }
    }
    (single, multi)
}

/// What `header()`/`query()` must return: the single value, else the first multi value.
fn expected_first(e: &Entry) -> Option<&str> {
    match e.place {
        0 | 2 => Some(e.single.as_str()),
        _ => e.multi.first().map(String::as_str),
    }
}

/// What `header_values()`/`query_values()` must return: the multi list when non-empty, else the single value.
fn expected_all(e: &Entry) -> Vec<&str> {
    if e.place != 0 && !e.multi.is_empty() {
        e.multi.iter().map(String::as_str).collect()
    } else if e.place != 1 {
        vec![e.single.as_str()]
    } else {
        Vec::new()
    }
}

proptest! {
    #[test]
    fn decode_body_inverts_encode(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        let encoded = encode_base64(&bytes);
        prop_assert_eq!(decode_body(Some(&encoded), true).unwrap().into_owned(), bytes.clone());

        let alb = AlbTargetGroupRequest { body: Some(encoded.clone()), is_base64_encoded: Some(true), ..Default::default() };
        prop_assert_eq!(alb.decoded_body().unwrap().into_owned(), bytes.clone());
        let v1 = ApiGatewayProxyRequest { body: Some(encoded.clone()), is_base64_encoded: Some(true), ..Default::default() };
        prop_assert_eq!(v1.decoded_body().unwrap().into_owned(), bytes.clone());
        let v2 = ApiGatewayV2HttpRequest { body: Some(encoded.clone()), is_base64_encoded: Some(true), ..Default::default() };
        prop_assert_eq!(v2.decoded_body().unwrap().into_owned(), bytes.clone());
        let url = LambdaFunctionUrlRequest { body: Some(encoded), is_base64_encoded: Some(true), ..Default::default() };
        prop_assert_eq!(url.decoded_body().unwrap().into_owned(), bytes.clone());
    }

    #[test]
    fn text_bodies_are_returned_as_is(text in "\\PC{0,64}") {
        let alb = AlbTargetGroupRequest { body: Some(text.clone()), is_base64_encoded: Some(false), ..Default::default() };
        prop_assert_eq!(alb.decoded_body().unwrap().into_owned(), text.as_bytes().to_vec());
        // A missing flag means text too.
        let v1 = ApiGatewayProxyRequest { body: Some(text.clone()), ..Default::default() };
        prop_assert_eq!(v1.decoded_body().unwrap().into_owned(), text.as_bytes().to_vec());
    }

    #[test]
    fn binary_builders_round_trip(
        status in 100u16..600,
        bytes in prop::collection::vec(any::<u8>(), 0..512),
        content_type in "[a-z]{1,8}/[a-z0-9.+-]{1,12}",
    ) {
        let alb = AlbTargetGroupResponse::binary(status, &content_type, &bytes);
        prop_assert_eq!(alb.is_base64_encoded, Some(true));
        prop_assert_eq!(&alb.headers["Content-Type"], &content_type);
        prop_assert_eq!(alb.decoded_body().unwrap().into_owned(), bytes.clone());
        // Through JSON as Lambda would send it, and back.
        let wire = serde_json::to_string(&alb).unwrap();
        let back: AlbTargetGroupResponse = serde_json::from_str(&wire).unwrap();
        prop_assert_eq!(back.decoded_body().unwrap().into_owned(), bytes.clone());
        prop_assert_eq!(&back, &alb);

        let v1 = ApiGatewayProxyResponse::binary(status, &content_type, &bytes);
        prop_assert_eq!(v1.decoded_body().unwrap().into_owned(), bytes.clone());
        let v2 = ApiGatewayV2HttpResponse::binary(status, &content_type, &bytes);
        prop_assert_eq!(v2.decoded_body().unwrap().into_owned(), bytes.clone());
        let url = LambdaFunctionUrlResponse::binary(status, &content_type, &bytes);
        prop_assert_eq!(url.decoded_body().unwrap().into_owned(), bytes.clone());
        let lattice = VpcLatticeResponse::binary(status, &content_type, &bytes);
        prop_assert_eq!(lattice.decoded_body().unwrap().into_owned(), bytes.clone());
        prop_assert_eq!(v2.status_code, status);
    }

    #[test]
    fn header_and_query_lookups_agree_with_the_maps(entries in entries(), absent in "[a-z]{13,16}") {
        let (single, multi) = build_maps(&entries);
        let alb = AlbTargetGroupRequest {
            headers: single.clone().into(),
            multi_value_headers: multi.clone().into(),
            query_string_parameters: single.clone().into(),
            multi_value_query_string_parameters: multi.clone().into(),
            ..Default::default()
        };
        let v1 = ApiGatewayProxyRequest {
            headers: single.clone().into(),
            multi_value_headers: multi.clone().into(),
            query_string_parameters: single.into(),
            multi_value_query_string_parameters: multi.into(),
            ..Default::default()
        };
        for (name, e) in &entries {
            let asked = recase(name, e.lookup_case);
            prop_assert_eq!(alb.header(&asked), expected_first(e), "header {}", asked);
            prop_assert_eq!(alb.query(&asked), expected_first(e), "query {}", asked);
            prop_assert_eq!(alb.header_values(&asked), expected_all(e));
            prop_assert_eq!(alb.query_values(&asked), expected_all(e));
            prop_assert_eq!(v1.header(&asked), expected_first(e));
            prop_assert_eq!(v1.query(&asked), expected_first(e));
            prop_assert_eq!(v1.header_values(&asked), expected_all(e));
        }
        // Generated names are at most 11 characters, so this one is never present.
        prop_assert_eq!(alb.header(&absent), None);
        prop_assert_eq!(v1.query(&absent), None);
        prop_assert!(alb.header_values(&absent).is_empty());
    }

    #[test]
    fn single_map_lookups_in_v2_and_function_urls(entries in entries()) {
        let (single, _) = build_maps(&entries);
        let v2 = ApiGatewayV2HttpRequest { headers: single.clone().into(), query_string_parameters: single.clone().into(), ..Default::default() };
        let url = LambdaFunctionUrlRequest { headers: single.clone().into(), query_string_parameters: single.into(), ..Default::default() };
        for (name, e) in &entries {
            let asked = recase(name, e.lookup_case);
            let expected = (e.place != 1).then_some(e.single.as_str());
            prop_assert_eq!(v2.header(&asked), expected);
            prop_assert_eq!(v2.query(&asked), expected);
            prop_assert_eq!(url.header(&asked), expected);
            prop_assert_eq!(url.query(&asked), expected);
        }
    }

    #[test]
    fn an_exact_name_match_wins(name in "[a-z]{1,8}", lower in "[a-z]{1,8}", upper in "[A-Z]{1,8}") {
        // Two query parameters differing only in case: each exact lookup finds its own.
        let shouted = name.to_ascii_uppercase();
        let r = AlbTargetGroupRequest {
            query_string_parameters: HashMap::from([(name.clone(), lower.clone()), (shouted.clone(), upper.clone())]).into(),
            ..Default::default()
        };
        prop_assert_eq!(r.query(&name), Some(lower.as_str()));
        prop_assert_eq!(r.query(&shouted), Some(upper.as_str()));
    }
}
