#!/usr/bin/env python3
"""No import cycle between the modules of a crate: the check `.ci/run` runs over every crate's `src/`.

A module is a file (`lib.rs` is the crate root, `a/mod.rs` and `a.rs` are `a`, `a/b.rs` is `a::b`).
Module A depends on module B when A names something B defines: through `use`, or a path written in code
(`crate::b::Item`, `super::Item`, `b::Item` for a child `b`). A path through a re-export (`crate::Item`
when lib.rs has `pub use b::Item`) is followed to the module that defines the item, so a cycle cannot
hide behind a facade. A re-export itself is not a dependency of the module that writes it.

Prints every cycle (each edge with the file and line that makes it) and exits 1 if there is one.

    python3 .ci/module-cycles.py lambda-rt/src lambda-rt-macros/src ...
"""

import re
import sys
from pathlib import Path

KEYWORDS = {"crate", "super", "self", "Self"}
DEFINITION = re.compile(
    r"\b(?:fn|struct|enum|trait|type|const|static|union|macro_rules!)\s+(?:r#)?([A-Za-z_][A-Za-z0-9_]*)"
)


def strip(source):
    """The source without comments, string and char literals (their lines kept, so numbers stay)."""
    out, i, n = [], 0, len(source)
    while i < n:
        c = source[i]
        if source.startswith("//", i):
            j = source.find("\n", i)
            i = n if j < 0 else j
        elif source.startswith("/*", i):
            depth, i = 1, i + 2
            while i < n and depth:
                if source.startswith("/*", i):
                    depth, i = depth + 1, i + 2
                elif source.startswith("*/", i):
                    depth, i = depth - 1, i + 2
                else:
                    out.append("\n" if source[i] == "\n" else "")
                    i += 1
        elif c == "r" and re.match(r'r#*"', source[i:i + 20]) and not re.match(r"[A-Za-z0-9_]", source[i - 1:i] or " "):
            hashes = re.match(r'r(#*)"', source[i:]).group(1)
            end = source.find('"' + hashes, i + 2 + len(hashes))
            end = n if end < 0 else end + 1 + len(hashes)
            out.append("\n" * source.count("\n", i, end) + '""')
            i = end
        elif c == '"':
            j = i + 1
            while j < n and source[j] != '"':
                j += 2 if source[j] == "\\" else 1
            out.append("\n" * source.count("\n", i, j) + '""')
            i = j + 1
        elif c == "'" and re.match(r"'(\\.|[^\\'])'|'\\u\{[0-9a-fA-F]+\}'|'\\x[0-9a-fA-F]{2}'", source[i:i + 12]):
            m = re.match(r"'(\\.|[^\\'])'|'\\u\{[0-9a-fA-F]+\}'|'\\x[0-9a-fA-F]{2}'", source[i:i + 12])
            out.append("' '")
            i += len(m.group(0))
        else:
            out.append(c)
            i += 1
    return "".join(out)


def module_of(src, path):
    parts = list(path.relative_to(src).with_suffix("").parts)
    if parts[-1] in ("lib", "main", "mod"):
        parts.pop()
    return tuple(parts)


def expand_use(tree):
    """`a::{b, c::{d as e}}` -> [(["a", "b"], "b"), (["a", "c", "d"], "e")]; `*` kept as a segment."""
    tree = re.sub(r"\s+", "", tree)
    results = []

    def walk(prefix, text):
        depth, start, items = 0, 0, []
        for k, ch in enumerate(text):
            if ch == "{":
                depth += 1
            elif ch == "}":
                depth -= 1
            elif ch == "," and depth == 0:
                items.append(text[start:k])
                start = k + 1
        items.append(text[start:])
        for item in filter(None, items):
            brace = item.find("{")
            if brace >= 0 and (item.find("as") < 0 or brace < item.find("as")):
                head = [s for s in item[:brace].split("::") if s]
                walk(prefix + head, item[brace + 1:item.rindex("}")])
            else:
                m = re.match(r"^(.*[^:])as([A-Za-z_][A-Za-z0-9_]*)$", item)
                path, alias = (m.group(1), m.group(2)) if m else (item, "")
                segs = prefix + [s for s in path.split("::") if s]
                if segs and segs[-1] == "self":
                    segs = segs[:-1]
                results.append((segs, alias or (segs[-1] if segs else "")))

    walk([], tree)
    return results


class Crate:
    def __init__(self, src):
        self.src = Path(src)
        self.files = {}  # module -> (path, stripped text)
        for path in sorted(self.src.rglob("*.rs")):
            module = module_of(self.src, path)
            if module in self.files and path.name != "mod.rs":
                continue
            self.files[module] = (path, strip(path.read_text()))
        self.defined = {m: set(DEFINITION.findall(text)) for m, (_, text) in self.files.items()}
        self.reexports = {m: {} for m in self.files}  # module -> name -> absolute path
        self.globs = {m: [] for m in self.files}
        self.uses = []  # (module, line, absolute path)
        for module, (_, text) in self.files.items():
            self.scan(module, text)

    def absolute(self, scope, segs):
        """An absolute path for `segs` written in `scope` (a module path, possibly inline); None if external."""
        if not segs:
            return None
        head = segs[0]
        if head in ("crate", "$crate"):
            return segs[1:]
        if head == "self":
            return list(scope) + segs[1:]
        if head == "super":
            base = list(scope)
            while segs and segs[0] == "super":
                base, segs = base[:-1], segs[1:]
            return base + segs
        if tuple(scope) + (head,) in self.files:
            return list(scope) + segs
        return None

    def scan(self, module, text):
        # Inline modules (`mod tests { ... }`) change what `super` and `self` mean inside them.
        scopes, depth = [(list(module), -1)], 0
        for number, line in enumerate(text.split("\n"), 1):
            scope = scopes[-1][0]
            m = re.match(r"\s*(pub(\([^)]*\))?\s+)?use\s+(.*)", line)
            if m:
                stmt, k = m.group(3), number
                lines = text.split("\n")
                while ";" not in stmt and k < len(lines):
                    stmt += lines[k]
                    k += 1
                reexport = m.group(1) is not None and scope == list(module)
                for segs, alias in expand_use(stmt.split(";")[0]):
                    path = self.absolute(scope, segs)
                    if path is None:
                        continue
                    if reexport:
                        if alias == "*":
                            self.globs[module].append(path[:-1])
                        else:
                            self.reexports[module][alias] = path
                    else:
                        self.uses.append((module, number, [s for s in path if s != "*"]))
            else:
                for p in re.finditer(r"(?<![A-Za-z0-9_:])((?:\$?crate|super|self)(?:::[A-Za-z_][A-Za-z0-9_]*)+)", line):
                    path = self.absolute(scope, p.group(1).split("::"))
                    if path is not None:
                        self.uses.append((module, number, path))
                for p in re.finditer(r"(?<![A-Za-z0-9_:])([a-z_][a-z0-9_]*)::([A-Za-z_][A-Za-z0-9_]*)", line):
                    if tuple(scope) + (p.group(1),) in self.files and p.group(1) not in KEYWORDS:
                        self.uses.append((module, number, list(scope) + [p.group(1), p.group(2)]))
            for ch_match in re.finditer(r"\bmod\s+([a-z_][a-z0-9_]*)\s*\{|[{}]", line):
                token = ch_match.group(0)
                if token == "{":
                    depth += 1
                elif token == "}":
                    depth -= 1
                    if depth == scopes[-1][1]:
                        scopes.pop()
                else:
                    scopes.append((scopes[-1][0] + [ch_match.group(1)], depth))
                    depth += 1

    def resolve(self, path, seen=()):
        """The module that defines what `path` names (following re-exports), or None if outside the crate."""
        module = ()
        for i, seg in enumerate(path):
            if module + (seg,) in self.files:
                module = module + (seg,)
                continue
            if (module, seg) in seen:
                return module
            if seg in self.defined.get(module, ()):
                return module
            if seg in self.reexports.get(module, {}):
                return self.resolve(self.reexports[module][seg] + path[i + 1:], seen + ((module, seg),))
            for glob in self.globs.get(module, []):
                target = self.resolve(glob + [seg], seen + ((module, seg),))
                if target is not None and target != module:
                    return target
            return module
        return module

    def edges(self):
        edges = {}
        for module, line, path in self.uses:
            target = self.resolve(path)
            if target is None or target == module:
                continue
            edges.setdefault(module, {}).setdefault(target, (self.files[module][0], line))
        return edges


def cycles(edges):
    """Strongly connected components of more than one module (Tarjan)."""
    index, low, stack, on, out, counter = {}, {}, [], set(), [], [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in edges.get(v, {}):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                out.append(sorted(component))

    for v in list(edges):
        if v not in index:
            visit(v)
    return out


def name(module):
    return "::".join(("crate",) + module)


def main(roots):
    failed = False
    for root in roots:
        crate = Crate(root)
        edges = crate.edges()
        found = cycles(edges)
        count = sum(len(t) for t in edges.values())
        print(f"{root}: {len(crate.files)} modules, {count} dependencies, {len(found)} cycle(s)")
        for component in found:
            failed = True
            members = set(component)
            print(f"  cycle between {', '.join(name(m) for m in component)}:")
            for a in component:
                for b, (path, line) in sorted(edges.get(a, {}).items()):
                    if b in members:
                        print(f"    {name(a)} -> {name(b)}  ({path}:{line})")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
