//! Helpers shared by the attributes: the paths into the runtime crate, checking the signature, classifying the
//! return type, the call of the user's function. Everything here is pure (no `proc_macro` types) so that unit
//! tests can call it.

use proc_macro2::{Delimiter, Ident, Punct, Spacing, Span, TokenStream, TokenTree};
use quote::{ToTokens, quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{FnArg, GenericParam, ItemFn, ReturnType, Signature, Type};

/// The name of the runtime crate, written here only: every path the expansions name goes through [`runtime`],
/// so that renaming the crate is this one edit.
pub(crate) const RUNTIME: &str = "lambda_fn";

/// `::lambda_fn::<path>`, for `path` written `a::b::C`, every token located at `span`: where the compiler
/// reports a problem with what the path names (`Span::call_site()` when nothing in particular).
pub(crate) fn runtime(path: &str, span: Span) -> TokenStream {
    let mut tokens = TokenStream::new();
    for segment in std::iter::once(RUNTIME).chain(path.split("::")) {
        let mut first = Punct::new(':', Spacing::Joint);
        first.set_span(span);
        let mut second = Punct::new(':', Spacing::Alone);
        second.set_span(span);
        tokens.extend([
            TokenTree::Punct(first),
            TokenTree::Punct(second),
            TokenTree::Ident(Ident::new(segment, span)),
        ]);
    }
    tokens
}

/// `::lambda_fn::__private::<path>`, the items the runtime keeps for the expansions, located at `span` as by
/// [`runtime`].
pub(crate) fn private(path: &str, span: Span) -> TokenStream {
    runtime(&format!("__private::{path}"), span)
}

/// Which attribute is being expanded; used to word error messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Attr {
    Handler,
    Init,
    Shutdown,
}

impl Attr {
    /// The subject of a sentence about the annotated function: "a handler", "an #[init] function".
    pub(crate) fn subject(self) -> &'static str {
        match self {
            Attr::Handler => "a #[handler] function",
            Attr::Init => "an #[init] function",
            Attr::Shutdown => "a #[shutdown] function",
        }
    }

    /// The prefix every generated item name starts with; user functions may not use it.
    pub(crate) fn reserved_name(self) -> &'static str {
        match self {
            Attr::Handler => "__lambda_rt_call",
            Attr::Init => "__lambda_rt_init",
            Attr::Shutdown => "__lambda_rt_shutdown",
        }
    }
}

/// The syntactic shape of a function's return type.
#[derive(Clone, Copy)]
pub(crate) enum ReturnKind<'a> {
    /// No return type, or `-> ()`.
    Unit,
    /// A type whose last path segment is `Result` (`Result<T, E>`, `lambda_fn::Result<T>`, ...), with its first
    /// and second generic type arguments (the success and error types) where written.
    Result {
        ok: Option<&'a Type>,
        err: Option<&'a Type>,
    },
    /// Any other type.
    Plain(&'a Type),
}

/// Strips the invisible groups and parentheses that macros and users may put around a type.
pub(crate) fn peel(ty: &Type) -> &Type {
    match ty {
        Type::Group(group) => peel(&group.elem),
        Type::Paren(paren) => peel(&paren.elem),
        other => other,
    }
}

/// Classifies a function's return type syntactically: `Result` is recognised by the last segment of its path.
pub(crate) fn classify_return(output: &ReturnType) -> ReturnKind<'_> {
    let ty = match output {
        ReturnType::Default => return ReturnKind::Unit,
        ReturnType::Type(_, ty) => peel(ty),
    };
    match ty {
        Type::Tuple(tuple) if tuple.elems.is_empty() => ReturnKind::Unit,
        Type::Path(path) if path.qself.is_none() => match path.path.segments.last() {
            Some(last) if last.ident == "Result" => {
                let mut types = match &last.arguments {
                    syn::PathArguments::AngleBracketed(args) => args
                        .args
                        .iter()
                        .filter_map(|arg| match arg {
                            syn::GenericArgument::Type(ty) => Some(ty),
                            _ => None,
                        })
                        .collect(),
                    _ => Vec::new(),
                }
                .into_iter();
                ReturnKind::Result {
                    ok: types.next(),
                    err: types.next(),
                }
            }
            _ => ReturnKind::Plain(ty),
        },
        other => ReturnKind::Plain(other),
    }
}

/// True for `()` (also written with extra parentheses or produced by a macro).
pub(crate) fn is_unit(ty: &Type) -> bool {
    matches!(peel(ty), Type::Tuple(tuple) if tuple.elems.is_empty())
}

/// Finds the first `impl` keyword inside a type (`impl Trait`, `Vec<impl Trait>`, ...), for its span.
pub(crate) fn find_impl_trait(ty: &Type) -> Option<Span> {
    fn walk(tokens: TokenStream) -> Option<Span> {
        for tree in tokens {
            match tree {
                TokenTree::Ident(ident) if ident == "impl" => return Some(ident.span()),
                TokenTree::Group(group) => {
                    if let Some(span) = walk(group.stream()) {
                        return Some(span);
                    }
                }
                _ => {}
            }
        }
        None
    }
    walk(ty.to_token_stream())
}

/// A type as a person writes it (`Vec<u32>`, `&'static str`, `Box<dyn Fn(u8) -> u8>`), for registrations and
/// messages: `stringify!` on macro tokens spaces every token (`Vec < u32 >`).
pub(crate) fn type_to_string(ty: &Type) -> String {
    let mut out = String::new();
    write_tokens(&mut out, ty.to_token_stream());
    out
}

fn write_tokens(out: &mut String, tokens: TokenStream) {
    // (character, spacing) of the previous punctuation, and whether it closed a `::`.
    let mut prev: Option<TokenTree> = None;
    let mut prev_closed_path_sep = false;
    for tree in tokens {
        if let Some(prev) = &prev
            && needs_space(prev, prev_closed_path_sep, &tree)
        {
            out.push(' ');
        }
        let closes_path_sep = matches!(
            (&prev, &tree),
            (Some(TokenTree::Punct(a)), TokenTree::Punct(b))
                if a.as_char() == ':' && a.spacing() == Spacing::Joint && b.as_char() == ':'
        );
        match &tree {
            TokenTree::Group(group) => {
                let (open, close) = match group.delimiter() {
                    Delimiter::Parenthesis => ("(", ")"),
                    Delimiter::Bracket => ("[", "]"),
                    Delimiter::Brace => ("{ ", " }"),
                    Delimiter::None => ("", ""),
                };
                out.push_str(open);
                write_tokens(out, group.stream());
                out.push_str(close);
            }
            other => out.push_str(&other.to_string()),
        }
        prev_closed_path_sep = closes_path_sep;
        prev = Some(tree);
    }
}

fn needs_space(prev: &TokenTree, prev_closed_path_sep: bool, cur: &TokenTree) -> bool {
    if let TokenTree::Punct(cur) = cur
        && matches!(cur.as_char(), ',' | ';' | '>' | ':')
    {
        return false;
    }
    match prev {
        TokenTree::Punct(p) => match p.as_char() {
            ':' => !(prev_closed_path_sep || p.spacing() == Spacing::Joint),
            '<' | '&' | '\'' | '*' => false,
            _ => true,
        },
        TokenTree::Ident(ident) => match cur {
            TokenTree::Punct(p) => p.as_char() != '<' && p.as_char() != '!',
            // `Fn(u8)`, `fn(u8)`, but `&mut (u8, u8)`, `&mut [u8]`.
            TokenTree::Group(g) => {
                g.delimiter() != Delimiter::Parenthesis
                    || matches!(ident.to_string().as_str(), "mut" | "dyn" | "impl" | "const" | "as")
            }
            _ => true,
        },
        _ => true,
    }
}

/// Pushes `error` into `errors`, combining so that every problem is reported at once.
pub(crate) fn push(errors: &mut Option<syn::Error>, error: syn::Error) {
    match errors {
        Some(existing) => existing.combine(error),
        None => *errors = Some(error),
    }
}

/// Both values, or every error of the two, `a`'s first: checks of several values report all their problems.
pub(crate) fn zip<A, B>(a: syn::Result<A>, b: syn::Result<B>) -> syn::Result<(A, B)> {
    match (a, b) {
        (Ok(a), Ok(b)) => Ok((a, b)),
        (Err(error), Ok(_)) | (Ok(_), Err(error)) => Err(error),
        (Err(mut first), Err(second)) => {
            first.combine(second);
            Err(first)
        }
    }
}

/// `::core::option::Option::Some(value)` or `::core::option::Option::None`, for a registration's field.
pub(crate) fn option_tokens<T: ToTokens>(value: Option<T>) -> TokenStream {
    match value {
        Some(value) => quote!(::core::option::Option::Some(#value)),
        None => quote!(::core::option::Option::None),
    }
}

/// Checks what `#[handler]` and `#[init]` have in common: a free, safe, non-generic Rust function whose
/// parameters have concrete types. Does not check the number of parameters or the return type.
pub(crate) fn check_signature(attr: Attr, sig: &Signature, errors: &mut Option<syn::Error>) {
    let subject = attr.subject();
    if sig.ident.to_string().starts_with(attr.reserved_name()) {
        push(
            errors,
            syn::Error::new(
                sig.ident.span(),
                format!(
                    "names starting with `{}` are reserved for the code that {} generates: rename the function",
                    attr.reserved_name(),
                    match attr {
                        Attr::Handler => "#[handler]",
                        Attr::Init => "#[init]",
                        Attr::Shutdown => "#[shutdown]",
                    }
                ),
            ),
        );
    }
    if let Some(unsafety) = &sig.unsafety {
        push(
            errors,
            syn::Error::new(
                unsafety.span,
                format!(
                    "{subject} cannot be an `unsafe fn`: the runtime calls it and cannot uphold a safety contract; \
                     make the function safe and put the unsafe code in an `unsafe {{ }}` block inside it"
                ),
            ),
        );
    }
    if let Some(abi) = &sig.abi {
        push(
            errors,
            syn::Error::new_spanned(
                abi,
                format!(
                    "{subject} cannot be an `extern` function: remove `{}`; the macro generates the glue the \
                     runtime calls",
                    abi.to_token_stream()
                ),
            ),
        );
    }
    for param in &sig.generics.params {
        let message = match param {
            GenericParam::Type(ty) => format!(
                "{subject} cannot be generic: the runtime must know the concrete types it builds; replace `{}` \
                 with a concrete type",
                ty.ident
            ),
            GenericParam::Lifetime(lt) => format!(
                "{subject} cannot have lifetime parameters: its parameters are owned values built per call; \
                 remove `{}` and use owned types (e.g. `String` instead of `&{} str`)",
                lt.lifetime, lt.lifetime
            ),
            GenericParam::Const(c) => format!(
                "{subject} cannot have const generic parameters: replace `{}` with a concrete value",
                c.ident
            ),
        };
        push(errors, syn::Error::new_spanned(param, message));
    }
    for input in &sig.inputs {
        match input {
            FnArg::Receiver(receiver) => push(
                errors,
                syn::Error::new_spanned(
                    receiver,
                    format!(
                        "{subject} must be a free function, not a method: remove `self` and define the function \
                         outside the `impl` block"
                    ),
                ),
            ),
            FnArg::Typed(typed) => {
                if let Some(span) = find_impl_trait(&typed.ty) {
                    push(
                        errors,
                        syn::Error::new(
                            span,
                            format!(
                                "{subject} cannot take `impl Trait` parameters: the runtime must know the concrete \
                                 type it builds; name the type instead"
                            ),
                        ),
                    );
                }
            }
        }
    }
    if let Some(variadic) = &sig.variadic {
        push(
            errors,
            syn::Error::new_spanned(
                variadic,
                format!("{subject} cannot be variadic: remove the `...` parameter"),
            ),
        );
    }
}

/// The typed parameters of the function, in order (a `self` receiver is refused by [`check_signature`]).
pub(crate) fn param_types(item: &ItemFn) -> impl Iterator<Item = &Type> {
    item.sig.inputs.iter().filter_map(|input| match input {
        FnArg::Typed(typed) => Some(&*typed.ty),
        FnArg::Receiver(_) => None,
    })
}

/// Where the expansion calls the function and takes its answer: the return type, or the function's name when
/// it returns nothing. A problem with the answer (not `Serialize`, not `IntoResponse`) is reported there.
pub(crate) fn return_span(item: &ItemFn) -> Span {
    match &item.sig.output {
        ReturnType::Type(_, ty) => ty.span(),
        ReturnType::Default => item.sig.ident.span(),
    }
}

/// `f(__event, __arg1, ...)` (with `.await` for an `async fn`), every token located at `span`; the variables
/// keep their mixed-site hygiene.
pub(crate) fn respanned_call(fn_ident: &Ident, vars: &[Ident], is_async: bool, span: Span) -> TokenStream {
    let mut fn_ident = fn_ident.clone();
    fn_ident.set_span(span);
    let vars = vars.iter().map(|var| {
        let mut var = var.clone();
        var.set_span(var.span().located_at(span));
        var
    });
    let await_ = is_async.then(|| quote_spanned!(span=> .await));
    quote_spanned!(span=> #fn_ident(#(#vars),*) #await_)
}

/// `::core::line!()` and `::core::file!()` located at the function's name: where a registration says it was
/// written.
pub(crate) fn source_location(item: &ItemFn) -> (TokenStream, TokenStream) {
    let span = item.sig.ident.span();
    (
        quote_spanned!(span=> ::core::line!()),
        quote_spanned!(span=> ::core::file!()),
    )
}

/// The attributes of the function that must also apply to the generated registration (`#[cfg(...)]`): when
/// the function is configured out, so is its registration.
pub(crate) fn cfg_attrs(item: &ItemFn) -> Vec<&syn::Attribute> {
    item.attrs.iter().filter(|attr| attr.path().is_ident("cfg")).collect()
}

/// The error for an item that is not a function, spanned at its head (`struct Foo`, `impl Foo`, `mod m`):
/// the tokens after its attributes and visibility, up to its body.
pub(crate) fn not_a_function(item: &TokenStream, message: &str) -> syn::Error {
    let mut head = Vec::new();
    let mut tokens = item.clone().into_iter().peekable();
    // Skip outer attributes (`#` followed by `[...]`) and the visibility (`pub`, `pub(crate)`).
    loop {
        match tokens.peek() {
            Some(TokenTree::Punct(punct)) if punct.as_char() == '#' => {
                tokens.next();
                if matches!(tokens.peek(), Some(TokenTree::Group(g)) if g.delimiter() == Delimiter::Bracket) {
                    tokens.next();
                }
            }
            Some(TokenTree::Ident(ident)) if ident == "pub" => {
                tokens.next();
                if matches!(tokens.peek(), Some(TokenTree::Group(g)) if g.delimiter() == Delimiter::Parenthesis) {
                    tokens.next();
                }
            }
            _ => break,
        }
    }
    for tree in tokens {
        let end = match &tree {
            TokenTree::Group(group) => group.delimiter() == Delimiter::Brace,
            TokenTree::Punct(punct) => punct.as_char() == ';' || punct.as_char() == '=',
            _ => false,
        };
        if end {
            break;
        }
        head.push(tree);
    }
    if head.is_empty() {
        syn::Error::new(Span::call_site(), message)
    } else {
        syn::Error::new_spanned(head.into_iter().collect::<TokenStream>(), message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Parses Rust source for a test.
    pub(crate) fn parse<T: syn::parse::Parse>(source: &str) -> T {
        syn::parse_str(source).unwrap_or_else(|e| panic!("{source}: {e}"))
    }

    fn ret(output: &str) -> String {
        let sig = parse::<Signature>(&format!("fn f() {output}"));
        let show = |ty: Option<&Type>| ty.map(type_to_string).unwrap_or_else(|| "-".into());
        match classify_return(&sig.output) {
            ReturnKind::Unit => "unit".into(),
            ReturnKind::Result { ok, err } => format!("result {} {}", show(ok), show(err)),
            ReturnKind::Plain(ty) => format!("plain {}", type_to_string(ty)),
        }
    }

    #[test]
    fn unit_returns() {
        assert_eq!(ret(""), "unit");
        assert_eq!(ret("-> ()"), "unit");
        assert_eq!(ret("-> (())"), "unit");
    }

    #[test]
    fn result_returns_are_recognised_by_their_last_segment() {
        assert_eq!(ret("-> Result<Out, Error>"), "result Out Error");
        assert_eq!(ret("-> lambda_fn::Result<Out>"), "result Out -");
        assert_eq!(
            ret("-> ::std::result::Result<Vec<u8>, Box<dyn std::error::Error + Send + Sync>>"),
            "result Vec<u8> Box<dyn std::error::Error + Send + Sync>"
        );
        assert_eq!(ret("-> Result<'static, Db>"), "result Db -");
        assert_eq!(ret("-> (Result<A>)"), "result A -");
        assert_eq!(ret("-> Result"), "result - -");
    }

    #[test]
    fn other_returns_are_plain() {
        for ty in [
            "String",
            "serde_json::Value",
            "Option<Result<A, B>>",
            "ResultSet",
            "Result::Wrapper",
            "(A, B)",
            "<T as Trait>::Result",
            "&'static str",
        ] {
            assert_eq!(ret(&format!("-> {ty}")), format!("plain {ty}"));
        }
    }

    #[test]
    fn types_are_written_as_people_write_them() {
        for ty in [
            "Order",
            "Vec<u32>",
            "lambda_fn_events::alb::AlbTargetGroupRequest",
            "::std::collections::HashMap<String, Vec<(u8, u8)>>",
            "(u8, u8)",
            "(u8,)",
            "()",
            "&'static str",
            "&mut [u8]",
            "&mut (u8, u8)",
            "[u8; 4]",
            "*const u8",
            "Box<dyn Fn(u8) -> Vec<u8> + Send + 'static>",
            "fn(u8) -> u8",
            "<T as Trait>::Output",
            "Vec<<T as Trait>::Output>",
            "Option<Box<dyn Iterator<Item = u8>>>",
            "Wrapper<{ N }>",
        ] {
            assert_eq!(type_to_string(&parse(ty)), ty);
        }
        // Whatever the spacing in the source.
        assert_eq!(type_to_string(&parse("Vec < u32 >")), "Vec<u32>");
        assert_eq!(
            type_to_string(&parse("std :: vec :: Vec<( u8 , u8 )>")),
            "std::vec::Vec<(u8, u8)>"
        );
    }

    #[test]
    fn unit_detection() {
        assert!(is_unit(&parse("()")));
        assert!(is_unit(&parse("(())")));
        assert!(!is_unit(&parse("(u8,)")));
        assert!(!is_unit(&parse("Unit")));
    }

    #[test]
    fn impl_trait_is_found_anywhere_in_a_type() {
        assert!(find_impl_trait(&parse("impl Trait")).is_some());
        assert!(find_impl_trait(&parse("Vec<impl Trait>")).is_some());
        assert!(find_impl_trait(&parse("(u8, Box<impl Fn()>)")).is_some());
        assert!(find_impl_trait(&parse("Vec<Box<dyn Trait>>")).is_none());
        assert!(find_impl_trait(&parse("Implementation")).is_none());
    }

    fn errors_of(attr: Attr, sig: &str) -> Vec<String> {
        let mut errors = None;
        check_signature(attr, &parse(sig), &mut errors);
        errors
            .map(|e| e.into_iter().map(|e| e.to_string()).collect())
            .unwrap_or_default()
    }

    #[test]
    fn signature_checks() {
        assert_eq!(
            errors_of(Attr::Handler, "async fn f(event: E, ctx: Context)"),
            Vec::<String>::new()
        );
        assert_eq!(errors_of(Attr::Handler, "fn f((a, b): (u8, u8))"), Vec::<String>::new());
        assert_eq!(errors_of(Attr::Handler, "const fn f(event: E)"), Vec::<String>::new());

        let all = errors_of(
            Attr::Handler,
            r#"unsafe extern "C" fn __lambda_rt_call<'a, T, const N: usize>(&self, e: impl Trait, ...)"#,
        );
        assert_eq!(all.len(), 9, "{all:#?}");
        assert!(all[0].contains("reserved"));
        assert!(all[1].contains("`unsafe fn`"));
        assert!(all[2].contains(r#"remove `extern "C"`"#));
        assert!(all[3].contains("remove `'a`"));
        assert!(all[4].contains("replace `T`"));
        assert!(all[5].contains("replace `N`"));
        assert!(all[6].contains("remove `self`"));
        assert!(all[7].contains("`impl Trait`"));
        assert!(all[8].contains("variadic"));

        let init = errors_of(Attr::Init, "fn make<T>()");
        assert_eq!(init.len(), 1);
        assert!(init[0].starts_with("an #[init] function cannot be generic"), "{init:?}");
    }

    #[test]
    fn paths_into_the_runtime_name_it_once() {
        let crate_root = format!(":: {RUNTIME} :: Error");
        assert_eq!(runtime("Error", Span::call_site()).to_string(), crate_root);
        let in_private = format!(":: {RUNTIME} :: __private :: inventory :: submit");
        assert_eq!(private("inventory::submit", Span::call_site()).to_string(), in_private);
    }

    #[test]
    fn not_a_function_carries_the_message() {
        let item: TokenStream = parse_item("#[derive(Debug)] pub(crate) struct Foo { a: u8 }");
        let error = not_a_function(&item, "msg");
        assert_eq!(error.to_string(), "msg");
        assert!(error.to_compile_error().to_string().contains("msg"));
    }

    fn parse_item(source: &str) -> TokenStream {
        source.parse().unwrap_or_else(|e| panic!("{source}: {e}"))
    }

    #[test]
    fn cfg_attributes_are_forwarded() {
        let item: ItemFn =
            parse(r#"#[cfg(feature = "x")] #[doc = "d"] #[cfg_attr(test, allow(dead_code))] fn f(e: E) {}"#);
        let cfgs = cfg_attrs(&item);
        assert_eq!(cfgs.len(), 1);
        assert_eq!(cfgs[0].to_token_stream().to_string(), r#"# [cfg (feature = "x")]"#);
    }
}
