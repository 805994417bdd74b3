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

/// The type a typed call names the handler by (`lambda_fn::call::Target`): a struct named as the function,
/// which lives in the type namespace, so that it never clashes with the function itself, with the
/// handler's name, event type and result type. Nothing when either type cannot be named outside the
/// function (an `impl Trait`, a borrowed event) or the result is a stream.
pub(crate) fn call_target(name: &LitStr, item: &ItemFn, event_ty: &Type, output_ty: Option<&Type>) -> TokenStream {
    let nameable = |ty: &Type| common::find_impl_trait(ty).is_none() && !borrows(ty);
    let output = match output_ty {
        Some(ty) if nameable(ty) => ty.to_token_stream(),
        Some(_) => return TokenStream::new(),
        None => quote!(()),
    };
    if !nameable(event_ty) || names_streaming_response(item) {
        return TokenStream::new();
    }
    let vis = &item.vis;
    let ident = &item.sig.ident;
    let cfgs = common::cfg_attrs(item);
    let target = common::private("CallTarget", Span::call_site());
    let doc = format!(
        "The handler `{}` as the target of a typed call (`lambda_fn::call`): its event is `{}`, its result `{}`.",
        name.value(),
        common::type_to_string(event_ty),
        output.to_string().replace(' ', "")
    );
    quote! {
        #(#cfgs)*
        #[doc = #doc]
        #[allow(non_camel_case_types, dead_code)]
        #vis struct #ident {
            _private: (),
        }
        #(#cfgs)*
        impl #target for #ident {
            const NAME: &'static str = #name;
            type Event = #event_ty;
            type Output = #output;
        }
    }
}

/// Whether `ty` holds a reference or names a lifetime (`&str`, `Cow<'a, str>`).
fn borrows(ty: &Type) -> bool {
    fn holds(tokens: TokenStream) -> bool {
        tokens.into_iter().any(|tree| match tree {
            proc_macro2::TokenTree::Punct(punct) => punct.as_char() == '&' || punct.as_char() == '\'',
            proc_macro2::TokenTree::Group(group) => holds(group.stream()),
            _ => false,
        })
    }
    holds(ty.to_token_stream())
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
