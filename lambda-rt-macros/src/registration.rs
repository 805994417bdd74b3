//! The registration of a handler that takes an event (plain and `batch` handlers): the extraction of its
//! further parameters from the invocation, and the `HandlerRegistration` the runtime finds at start-up.

use proc_macro2::{Span, TokenStream};
use quote::{ToTokens, format_ident, quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{ItemFn, LitStr, Type};

use crate::common;
use crate::deploy::Deploy;

/// The extractor parameters `types`: a `let` for each (the extractor called on `inv`, which is the
/// invocation or a mutable reference to it), its variable pushed on `vars`, and its `state_key`.
///
/// Extractors are produced through the same trait path as their `state_key` in the registration, so that a
/// type that is not an extractor gets one diagnostic (rustc merges identical ones), not two.
pub(crate) fn extractors<'a>(
    types: impl Iterator<Item = &'a Type>,
    inv: &TokenStream,
    vars: &mut Vec<syn::Ident>,
) -> (Vec<TokenStream>, Vec<TokenStream>) {
    let mut lets = Vec::new();
    let mut states = Vec::new();
    for (index, ty) in types.enumerate() {
        let var = format_ident!("__arg{}", index + 1, span = Span::mixed_site());
        let from_invocation = common::private("FromInvocation", ty.span());
        lets.push(quote_spanned! {ty.span()=>
            let #var = <#ty as #from_invocation>::from_invocation(#inv)?;
        });
        states.push(quote_spanned! {ty.span()=>
            <#ty as #from_invocation>::state_key
        });
        vars.push(var);
    }
    (lets, states)
}

/// The function unchanged, then in a `const _` the glue `items` (which define `__lambda_rt_call`) and the
/// registration of `name`, whose event type is `event_ty` and whose batch settings are `batch`.
pub(crate) fn registered(
    name: &LitStr,
    item: &ItemFn,
    event_ty: &Type,
    states: &[TokenStream],
    items: TokenStream,
    batch: TokenStream,
    deploy: &Deploy,
) -> TokenStream {
    let deploy = deploy.tokens();
    let (line, file) = common::source_location(item);
    let cfgs = common::cfg_attrs(item);
    let event_type = common::type_to_string(event_ty);
    let return_type = return_type_string(item);
    let streaming = names_streaming_response(item);
    let submit = common::private("inventory::submit", Span::call_site());
    let registration = common::private("HandlerRegistration", Span::call_site());
    quote! {
        #item
        #(#cfgs)*
        const _: () = {
            #items
            #submit! {
                #registration {
                    name: #name,
                    event_type: #event_type,
                    return_type: #return_type,
                    streaming: #streaming,
                    module: ::core::module_path!(),
                    file: #file,
                    line: #line,
                    states: &[#(#states),*],
                    call: __lambda_rt_call,
                    batch: #batch,
                    deploy: #deploy,
                }
            }
        };
    }
}

/// The return type as written, `()` when there is none.
fn return_type_string(item: &ItemFn) -> String {
    match &item.sig.output {
        syn::ReturnType::Type(_, ty) => common::type_to_string(ty),
        syn::ReturnType::Default => "()".to_owned(),
    }
}

/// Whether the return type names `StreamingResponse` (as `Result<StreamingResponse, E>` or alone).
fn names_streaming_response(item: &ItemFn) -> bool {
    fn names(tokens: TokenStream) -> bool {
        tokens.into_iter().any(|tree| match tree {
            proc_macro2::TokenTree::Ident(ident) => ident == "StreamingResponse",
            proc_macro2::TokenTree::Group(group) => names(group.stream()),
            _ => false,
        })
    }
    match &item.sig.output {
        syn::ReturnType::Type(_, ty) => names(ty.to_token_stream()),
        syn::ReturnType::Default => false,
    }
}
