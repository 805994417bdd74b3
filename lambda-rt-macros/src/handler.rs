//! `#[handler("name", ...)]`: parse the name, the options ([`crate::options`]) and the function, validate
//! them, and expand by the handler's [`Kind`] to the function unchanged plus its registration in the runtime's
//! registry.

use proc_macro2::{Span, TokenStream};
use quote::{ToTokens, format_ident, quote, quote_spanned};
use syn::punctuated::Punctuated;
use syn::spanned::Spanned;
use syn::{Expr, ItemFn, Lit, LitStr, Token, Type};

use crate::common::{self, Attr, ReturnKind, push};
use crate::deploy::Deploy;
use crate::options::{Builder, Kind, Options};
use crate::{batch, durable, registration, route, service};

/// The longest handler setting AWS accepts for a function (`Handler`, at most 128 characters, no whitespace).
pub(crate) const MAX_NAME_LEN: usize = 128;

const USAGE: &str = "#[handler(\"name\")]";

/// A validated `#[handler]`: what the expansion needs.
pub(crate) struct Handler {
    name: LitStr,
    options: Options,
    item: ItemFn,
}

/// Parses and validates the attribute arguments: the name, a non-empty string literal without whitespace,
/// then the options.
pub(crate) fn parse_args(args: TokenStream) -> Result<(LitStr, Options), syn::Error> {
    if args.is_empty() {
        return Err(syn::Error::new(
            Span::call_site(),
            format!(
                "#[handler] needs the handler name, the value of the function's handler setting (`_HANDLER`): \
                 `{USAGE}`, e.g. `#[handler(\"hello.ALB\")]`"
            ),
        ));
    }
    let parser = Punctuated::<Expr, Token![,]>::parse_terminated;
    let exprs = syn::parse::Parser::parse2(parser, args).map_err(|error| {
        syn::Error::new(
            error.span(),
            format!("expected the handler name as a string literal: `{USAGE}` ({error})"),
        )
    })?;
    let mut exprs = exprs.into_iter();
    let Some(first) = exprs.next() else {
        return Err(syn::Error::new(
            Span::call_site(),
            format!("#[handler] needs the handler name as a string literal: `{USAGE}`"),
        ));
    };
    let rest: Vec<Expr> = exprs.collect();
    let mut errors = None;
    let name = match first {
        Expr::Lit(syn::ExprLit {
            lit: Lit::Str(name), ..
        }) => Some(name),
        Expr::Assign(assign) => {
            let hint = match &*assign.right {
                Expr::Lit(syn::ExprLit {
                    lit: Lit::Str(value), ..
                }) => {
                    format!("write the name alone: `#[handler({})]`", value.to_token_stream())
                }
                _ => format!("write the name alone, as a string literal: `{USAGE}`"),
            };
            push(
                &mut errors,
                syn::Error::new_spanned(&assign, format!("#[handler] takes no `key = value` options; {hint}")),
            );
            None
        }
        Expr::Path(path) if path.path.get_ident().is_some() => {
            let ident = path.to_token_stream().to_string();
            push(
                &mut errors,
                syn::Error::new_spanned(
                    &path,
                    format!("the handler name must be a string literal: `#[handler(\"{ident}\")]`"),
                ),
            );
            None
        }
        other => {
            push(
                &mut errors,
                syn::Error::new_spanned(
                    &other,
                    format!("the handler name must be a string literal: `{USAGE}`, e.g. `#[handler(\"hello.ALB\")]`"),
                ),
            );
            None
        }
    };
    if let Some(name) = &name
        && let Err(error) = check_name(name)
    {
        push(&mut errors, error);
    }
    let mut builder = Builder::default();
    for arg in &rest {
        builder.set(arg);
    }
    let options = builder.build().map_err(|e| push(&mut errors, e)).ok();
    match (errors, name, options) {
        (Some(errors), _, _) => Err(errors),
        (None, Some(name), Some(options)) => Ok((name, options)),
        (None, _, _) => Err(syn::Error::new(Span::call_site(), format!("expected `{USAGE}`"))),
    }
}

/// Checks the handler name as AWS checks a function's handler setting: not empty, no whitespace, at most
/// [`MAX_NAME_LEN`] characters.
pub(crate) fn check_name(name: &LitStr) -> Result<(), syn::Error> {
    let value = name.value();
    let message = if value.trim().is_empty() {
        Some(format!(
            "the handler name is {}: give the value of the function's handler setting (`_HANDLER`), e.g. \
             `#[handler(\"hello.ALB\")]`",
            if value.is_empty() { "empty" } else { "blank" }
        ))
    } else if value.chars().any(char::is_whitespace) {
        let suggestion = value.split_whitespace().collect::<Vec<_>>().join("_");
        Some(format!(
            "the handler name {:?} contains whitespace, which AWS does not allow in a function's handler setting: \
             use e.g. `#[handler({suggestion:?})]`",
            value
        ))
    } else if value.chars().count() > MAX_NAME_LEN {
        Some(format!(
            "the handler name is {} characters long; AWS allows at most {MAX_NAME_LEN} in a function's handler \
             setting: use a shorter name",
            value.chars().count()
        ))
    } else {
        None
    };
    match message {
        Some(message) => Err(syn::Error::new(name.span(), message)),
        None => Ok(()),
    }
}

/// Validates the function: a free, safe, non-generic function whose first parameter is the event (a
/// route's parameters are all extractors, so it may have none).
pub(crate) fn check_fn(item: &ItemFn, routed: bool, errors: &mut Option<syn::Error>) {
    common::check_signature(Attr::Handler, &item.sig, errors);
    if !routed && item.sig.inputs.is_empty() && item.sig.variadic.is_none() {
        push(
            errors,
            syn::Error::new(
                item.sig.paren_token.span.join(),
                "a #[handler] function takes the event as its first parameter: `async fn f(event: MyEvent)`; \
                 if it ignores the event, take `_event: serde_json::Value`",
            ),
        );
    }
}

/// Parses and validates everything; on success returns what [`expand`] needs.
pub(crate) fn parse(args: TokenStream, item: TokenStream) -> Result<Handler, syn::Error> {
    let mut errors = None;
    // Even when a route does not parse, the function is a route's (or a service's): it need not take an event.
    let routed = mentions(&args, "route") || mentions(&args, "service");
    let args = parse_args(args).map_err(|e| push(&mut errors, e)).ok();
    let item = match syn::parse2::<ItemFn>(item.clone()) {
        Ok(item) => {
            check_fn(&item, routed, &mut errors);
            match args.as_ref().map(|(_, options)| &options.kind) {
                Some(Kind::Routes(routes)) => route::check_path_params(&item, routes, &mut errors),
                Some(Kind::Service { .. }) => service::check(&item, &mut errors),
                Some(Kind::Durable { .. }) => durable::check(&item, &mut errors),
                Some(Kind::Plain | Kind::Batch(_)) | None => {}
            }
            Some(item)
        }
        Err(_) => {
            push(
                &mut errors,
                common::not_a_function(
                    &item,
                    "#[handler] applies to a function: `#[handler(\"name\")] async fn f(event: E) ...`",
                ),
            );
            None
        }
    };
    match (errors, args, item) {
        (None, Some((name, options)), Some(item)) => Ok(Handler { name, options, item }),
        (Some(errors), _, _) => Err(errors),
        (None, _, _) => Err(syn::Error::new(
            Span::call_site(),
            format!("expected `{USAGE}` on a function"),
        )),
    }
}

/// Whether the arguments name `word` (`route`, `service`), even where they do not parse.
fn mentions(args: &TokenStream, word: &str) -> bool {
    args.clone()
        .into_iter()
        .any(|tree| matches!(tree, proc_macro2::TokenTree::Ident(ident) if ident == word))
}

/// The type for a turbofish: the type as written, or `_` where there is none or it is an `impl Trait`.
fn nameable(ty: Option<&Type>) -> TokenStream {
    match ty {
        Some(ty) if common::find_impl_trait(ty).is_none() => ty.to_token_stream(),
        _ => quote!(_),
    }
}

/// Expands a validated handler: the function unchanged, then the glue and the registration in a `const _`.
pub(crate) fn expand(handler: &Handler) -> TokenStream {
    let Handler { name, options, item } = handler;
    let deploy = &options.deploy;
    match &options.kind {
        Kind::Plain => expand_plain(name, item, deploy),
        Kind::Batch(settings) => batch::expand(name, *settings, item, deploy),
        Kind::Routes(routes) => route::expand(name, routes, item, deploy),
        Kind::Service { streaming } => service::expand(name, *streaming, item, deploy),
        Kind::Durable { plugins } => durable::expand(name, item, plugins, deploy),
    }
}

/// Expands a plain handler: the event deserialized from the invocation, the other parameters extracted, the
/// answer encoded.
fn expand_plain(name: &LitStr, item: &ItemFn, deploy: &Deploy) -> TokenStream {
    let site = Span::call_site();
    let fn_ident = &item.sig.ident;
    // Local variables use mixed-site hygiene so that they can never capture the user's function name.
    let inv = format_ident!("inv", span = Span::mixed_site());
    let mut types = common::param_types(item);
    let Some(event_ty) = types.next() else {
        // check_fn rejects functions without parameters; keep the function as it is.
        return item.to_token_stream();
    };
    let event_var = format_ident!("__event", span = Span::mixed_site());
    let event_let = quote_spanned! {event_ty.span()=>
        let #event_var = #inv.event::<#event_ty>()?;
    };
    let mut vars = vec![event_var];
    let (lets, states) = registration::extractors(types, &quote!(&mut #inv), &mut vars);
    // The call and the encoding of its result are spanned at the return type (at the name for a unit return),
    // so that a result that is not `Serialize`, or an error that does not convert, is reported there.
    let ret_span = common::return_span(item);
    let kind = match &item.sig.output {
        syn::ReturnType::Type(..) => common::classify_return(&item.sig.output),
        syn::ReturnType::Default => ReturnKind::Unit,
    };
    let call = common::respanned_call(fn_ident, &vars, item.sig.asyncness.is_some(), ret_span);
    let target = match kind {
        ReturnKind::Unit => registration::call_target(name, item, event_ty, None),
        ReturnKind::Result { ok: Some(ok), .. } | ReturnKind::Plain(ok) => {
            registration::call_target(name, item, event_ty, Some(ok))
        }
        ReturnKind::Result { ok: None, .. } => TokenStream::new(),
    };
    let body = match kind {
        ReturnKind::Unit => {
            let encode = common::private("encode", ret_span);
            quote_spanned! {ret_span=>
                {
                    #call;
                    #encode(())
                }
            }
        }
        // Naming the success and error types in a turbofish puts a "not `Serialize`" or "does not convert into
        // `lambda_fn::Error`" error on that type itself. `impl Trait` cannot be named: leave it to inference.
        // The error converts by the first of `Into<Error>`, `Into<Box<dyn Error + Send + Sync>>` that its type
        // has (`anyhow::Error`, `eyre::Report`), picked by method resolution on the concrete type
        // (`lambda_fn::error::failure`); else the compile error is on the error type.
        ReturnKind::Result { ok, err } => {
            let err_span = err.map_or(ret_span, syn::spanned::Spanned::span);
            let ok = nameable(ok);
            let err = nameable(err);
            let conversions = ["FailureElse", "FailureViaBox", "FailureViaInto"].map(|t| common::private(t, err_span));
            let failure = common::private("Failure", err_span);
            let convert = quote_spanned! {err_span=>
                #(
                    #[allow(unused_imports)]
                    use #conversions as _;
                )*
                (&&#failure::new(__lambda_rt_error)).into_lambda_error()
            };
            let encode_result = common::private("encode_result", ret_span);
            let error = common::runtime("Error", ret_span);
            quote_spanned! {ret_span=>
                #encode_result::<#ok, #error>(
                    (#call).map_err(|__lambda_rt_error: #err| { #convert })
                )
            }
        }
        ReturnKind::Plain(ty) if common::find_impl_trait(ty).is_none() => {
            let encode = common::private("encode", ret_span);
            quote_spanned! {ret_span=>
                #encode::<#ty>(#call)
            }
        }
        ReturnKind::Plain(_) => {
            let encode = common::private("encode", ret_span);
            quote_spanned! {ret_span=>
                #encode(#call)
            }
        }
    };
    let invocation = common::private("Invocation", site);
    let handler_future = common::private("HandlerFuture", site);
    let boxed = common::private("Box", site);
    let call_fn = quote! {
        fn __lambda_rt_call(
            mut #inv: #invocation,
        ) -> #handler_future {
            #boxed::pin(async move {
                #event_let
                #(#lets)*
                #body
            })
        }
    };
    let checks = deploy.event_checks(event_ty);
    let registered = registration::registered(
        name,
        item,
        event_ty,
        &states,
        quote!(#call_fn #checks),
        quote!(::core::option::Option::None),
        deploy,
    );
    quote!(#registered #target)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(source: &str) -> TokenStream {
        source.parse().unwrap_or_else(|e| panic!("{source}: {e}"))
    }

    fn name_error(args: &str) -> String {
        match parse_args(tokens(args)).map(|(name, _)| name) {
            Ok(name) => panic!("accepted {:?}", name.value()),
            Err(e) => e.into_iter().map(|e| e.to_string()).collect::<Vec<_>>().join("\n"),
        }
    }

    #[test]
    fn accepts_a_name() {
        for args in [r#""hello.ALB""#, r#""hello.ALB","#, r#"r"x::y""#, r#""a-b_c/d""#] {
            assert_eq!(
                parse_args(tokens(args))
                    .map(|(name, _)| name)
                    .map(|name| name.to_token_stream().to_string())
                    .ok()
                    .as_deref(),
                Some(args.trim_end_matches(','))
            );
        }
        let longest = format!("{:?}", "x".repeat(MAX_NAME_LEN));
        assert!(parse_args(tokens(&longest)).is_ok());
    }

    #[test]
    fn rejects_bad_names() {
        assert!(name_error("").contains("needs the handler name"));
        assert!(name_error(r#""""#).contains("is empty"));
        assert!(name_error(r#""  ""#).contains("is blank"));
        let spaced = name_error(r#""hello ALB""#);
        assert!(
            spaced.contains("contains whitespace") && spaced.contains(r#"#[handler("hello_ALB")]"#),
            "{spaced}"
        );
        assert!(name_error(r#""a\tb""#).contains("whitespace"));
        let too_long = format!("{:?}", "x".repeat(MAX_NAME_LEN + 1));
        assert!(name_error(&too_long).contains("at most 128"));
        assert!(name_error("hello").contains(r#"`#[handler("hello")]`"#));
        assert!(name_error("42").contains("must be a string literal"));
        assert!(name_error(r#"b"x""#).contains("must be a string literal"));
        assert!(name_error(r#"name = "x""#).contains(r#"write the name alone: `#[handler("x")]`"#));
        assert!(name_error("@").contains("expected the handler name as a string literal"));
    }

    #[test]
    fn rejects_extra_arguments_and_lists_what_is_accepted() {
        let error = name_error(r#""a", foo = 1"#);
        assert!(error.contains("unknown option `foo`"), "{error}");
        assert!(
            error.contains("then options among `batch`, `route`, `service`"),
            "{error}"
        );
        // Both problems of `#[handler("", x)]` are reported at once.
        let both = name_error(r#""", x"#);
        assert!(
            both.contains("is empty") && both.contains("unknown option `x`"),
            "{both}"
        );
    }

    fn expand_str(args: &str, item: &str) -> String {
        match parse(tokens(args), tokens(item)) {
            Ok(handler) => expand(&handler).to_string(),
            Err(e) => panic!("{e}"),
        }
    }

    fn parse_error(args: &str, item: &str) -> String {
        match parse(tokens(args), tokens(item)) {
            Ok(_) => panic!("accepted {item}"),
            Err(e) => e.to_string(),
        }
    }

    /// A path into the runtime's `__private` as the expansion prints it.
    fn private(path: &str) -> String {
        common::private(path, Span::call_site()).to_string()
    }

    /// The runtime's error type as the expansion prints it.
    fn runtime_error() -> String {
        common::runtime("Error", Span::call_site()).to_string()
    }

    #[test]
    fn expansion_with_result_and_extractors() {
        let out = expand_str(
            r#""r""#,
            "async fn f(e: E, c: Context, s: State<Db>) -> Result<O, X> {}",
        );
        let from_invocation = private("FromInvocation");
        for expected in [
            "let __event = inv . event :: < E > () ?".to_owned(),
            format!("let __arg1 = < Context as {from_invocation} > :: from_invocation (& mut inv) ?"),
            format!("let __arg2 = < State < Db > as {from_invocation} > :: from_invocation (& mut inv) ?"),
            format!(
                "{} :: < O , {} > ((f (__event , __arg1 , __arg2) . await) . map_err (| __lambda_rt_error : X |",
                private("encode_result"),
                runtime_error()
            ),
            format!(
                "(&& {} :: new (__lambda_rt_error)) . into_lambda_error ()",
                private("Failure")
            ),
            "name : \"r\"".to_owned(),
            "event_type : \"E\"".to_owned(),
            format!(
                "states : & [< Context as {from_invocation} > :: state_key , \
                 < State < Db > as {from_invocation} > :: state_key]"
            ),
            "call : __lambda_rt_call".to_owned(),
        ] {
            assert!(out.contains(&expected), "{expected}\nnot in\n{out}");
        }
    }

    #[test]
    fn expansion_of_plain_and_unit_returns() {
        let encode = private("encode");
        let plain = expand_str(r#""p""#, "fn f(e: E) -> O { todo!() }");
        assert!(plain.contains(&format!("{encode} :: < O > (f (__event))")), "{plain}");
        assert!(plain.contains("states : & []"), "{plain}");

        let opaque = expand_str(r#""o""#, "fn f(e: E) -> impl Serialize { todo!() }");
        assert!(opaque.contains(&format!("{encode} (f (__event))")), "{opaque}");
        let opaque = expand_str(r#""o""#, "fn f(e: E) -> Result<impl Serialize, X> { todo!() }");
        let expected = format!(
            "{} :: < _ , {} > ((f (__event)) . map_err (| __lambda_rt_error : X |",
            private("encode_result"),
            runtime_error()
        );
        assert!(opaque.contains(&expected), "{opaque}");

        let unit = expand_str(r#""u""#, "async fn f(e: E) {}");
        assert!(
            unit.contains(&format!("{{ f (__event) . await ; {encode} (()) }}")),
            "{unit}"
        );
        let unit = expand_str(r#""u""#, "fn f(e: E) -> () {}");
        assert!(unit.contains(&format!("{{ f (__event) ; {encode} (()) }}")), "{unit}");
    }

    #[test]
    fn expansion_keeps_the_function_and_forwards_cfg() {
        let out = expand_str(r#""c""#, r#"#[cfg(feature = "x")] #[inline] pub fn f(e: E) {}"#);
        assert!(
            out.starts_with(r#"# [cfg (feature = "x")] # [inline] pub fn f (e : E) { }"#),
            "{out}"
        );
        assert!(out.contains(r#"# [cfg (feature = "x")] const _ : () ="#), "{out}");
    }

    #[test]
    fn not_a_function() {
        assert!(parse_error(r#""x""#, "struct S;").starts_with("#[handler] applies to a function"));
        assert!(parse_error(r#""x""#, "impl S {}").starts_with("#[handler] applies to a function"));
    }

    #[test]
    fn zero_parameters() {
        assert!(parse_error(r#""x""#, "async fn f() {}").contains("`_event: serde_json::Value`"));
    }
}
