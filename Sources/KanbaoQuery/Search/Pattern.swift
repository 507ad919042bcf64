// Regular expressions over article text: `/疫.{0,4}防控/`.
//
// A pattern is parsed into a small syntax tree, compiled to a program of a few kinds of
// instruction, and run by simulating every thread of that program at once (a Pike VM,
// as RE2 and Go's regexp do): the time is linear in the text times the program, whatever
// the pattern, so no pattern can hang the prompt the way a backtracking engine can on
// /(a*)*b/. The tree also gives the literals every match must contain, which the keyword
// index turns into candidate articles before any text is read.
//
// Text is matched in its folded form (Folding.swift): a literal is folded like the text,
// so /電影/ finds 电影; a character class matches a character if it holds the character as
// printed or folded ([A-Z] still finds capitals). `.` is any character but a line break;
// `^` and `$` match at the start and end of a headline line or paragraph.
import KanbaoStore

public struct Pattern: Sendable {
    public struct SyntaxError: Error, Sendable {
        public let message: String
        /// Characters from the start of the pattern to where the error is.
        public let offset: Int
    }

    /// A character class: ranges and named classes, possibly negated.
    struct CharSet: Sendable {
        var ranges: [ClosedRange<UInt32>] = []
        var digit = false, word = false, space = false
        var notDigit = false, notWord = false, notSpace = false
        var negated = false

        func holds(_ v: UInt32) -> Bool {
            for r in ranges where r.contains(v) { return true }
            if digit && Pattern.isDigit(v) { return true }
            if word && Pattern.isWord(v) { return true }
            if space && Pattern.isSpace(v) { return true }
            if notDigit && !Pattern.isDigit(v) { return true }
            if notWord && !Pattern.isWord(v) { return true }
            if notSpace && !Pattern.isSpace(v) { return true }
            return false
        }

        /// As printed or folded; a negated class holds neither.
        func matches(printed: UInt32, folded: UInt32) -> Bool {
            (holds(printed) || holds(folded)) != negated
        }
    }

    indirect enum Node {
        case char(UInt32)
        case any
        case set(CharSet)
        case concat([Node])
        case alt([Node])
        case repeated(Node, min: Int, max: Int?)
        case lineStart, lineEnd
    }

    enum Inst {
        case char(UInt32)
        case any
        case set(Int)
        case split(Int, Int)
        case jump(Int)
        case lineStart, lineEnd
        case match
    }

    public let source: String
    let program: [Inst]
    let sets: [CharSet]
    /// Literal texts every match must contain, as index terms; nil when none are known.
    public let required: IndexExpr?
    /// What a match starts with, when it is a few literal units (firstUnits).
    let firstUnits: [UInt16]?
    /// The kinds of folding a row must undergo before this pattern runs on it: those that
    /// can make one of its literal characters; every kind if it has a class (a class
    /// matches the text as printed or folded).
    public let foldKinds: UInt8

    static let maxRepeat = 1000
    static let maxProgram = 20_000

    public init(_ source: String) throws {
        self.source = source
        var parser = PatternParser(Array(source.unicodeScalars))
        let tree = try parser.parse()
        if Pattern.nullable(tree) {
            throw SyntaxError(
                message: "the pattern matches empty text, so it would match every article", offset: 0)
        }
        var compiler = PatternCompiler()
        try compiler.emit(tree)
        compiler.program.append(.match)
        program = compiler.program
        sets = compiler.sets
        required = Pattern.toIndex(Pattern.literals(tree))
        firstUnits = Pattern.firstUnits(compiler.program)
        var kinds: UInt8 = 0
        for inst in compiler.program {
            switch inst {
            case .char(let c) where c < 0x10000: kinds |= Folding.targetKinds[Int(c)]
            case .set: kinds |= Folding.traditional | Folding.width
            default: break
            }
        }
        foldKinds = kinds
    }

    // MARK: character classes

    static func isDigit(_ v: UInt32) -> Bool { v >= 0x30 && v <= 0x39 }
    static func isSpace(_ v: UInt32) -> Bool { v == 0x20 || (v >= 0x09 && v <= 0x0D) || v == 0x3000 || v == 0xA0 }
    static func isWord(_ v: UInt32) -> Bool {
        if v < 0x80 { return isDigit(v) || (v >= 0x41 && v <= 0x5A) || (v >= 0x61 && v <= 0x7A) || v == 0x5F }
        guard let u = Unicode.Scalar(v) else { return false }
        return u.properties.isAlphabetic || u.properties.numericType != nil
    }

    // MARK: matching

    /// The units a match can start with, when they are few literal characters; a search
    /// then jumps from one of them to the next (a vector search when there is one) instead
    /// of running the program over the text between.
    static func firstUnits(_ program: [Inst]) -> [UInt16]? {
        var units = Set<UInt16>()
        var seen = Set<Int>()
        var stack = [0]
        while let pc = stack.popLast() {
            guard seen.insert(pc).inserted else { continue }
            switch program[pc] {
            case .char(let c):
                guard c < 0x10000 else { return nil }
                units.insert(UInt16(c))
            case .jump(let to): stack.append(to)
            case .split(let a, let b): stack += [a, b]
            default: return nil
            }
        }
        return units.count <= 4 ? units.sorted() : nil
    }

    /// The leftmost-longest match at or after unit `from` of `folded` (`printed` is the
    /// same text as printed, unit for unit), as a range of UTF-16 units; with `any`, the
    /// first match the simulation meets (for a filter, which asks only whether there is
    /// one). The thread lists live in one temporary allocation (on the stack for a small
    /// program), and the program is read through a pointer.
    public func firstMatch(
        folded: UnsafeBufferPointer<UInt16>, printed: UnsafeBufferPointer<UInt16>, from: Int = 0, any: Bool = false
    ) -> Range<Int>? {
        let m = program.count
        return withUnsafeTemporaryAllocation(of: Int.self, capacity: 7 * m + 2) { scratch in
            scratch.initialize(repeating: -1)
            var lists = (
                ThreadList(pcs: scratch.baseAddress!, starts: scratch.baseAddress! + m),
                ThreadList(pcs: scratch.baseAddress! + 2 * m, starts: scratch.baseAddress! + 3 * m)
            )
            let stamps = scratch.baseAddress! + 4 * m
            let stack = scratch.baseAddress! + 5 * m
            var stamp = 0
            return program.withUnsafeBufferPointer { program in
                sets.withUnsafeBufferPointer { sets in
                    Pattern.run(
                        program, sets, firstUnits, folded, printed, from, any, &lists, stamps, stack, &stamp)
                }
            }
        }
    }

    private static func run(
        _ program: UnsafeBufferPointer<Inst>, _ sets: UnsafeBufferPointer<CharSet>, _ firstUnits: [UInt16]?,
        _ folded: UnsafeBufferPointer<UInt16>, _ printed: UnsafeBufferPointer<UInt16>, _ from: Int, _ any: Bool,
        _ lists: inout (ThreadList, ThreadList), _ stamps: UnsafeMutablePointer<Int>,
        _ stack: UnsafeMutablePointer<Int>, _ stamp: inout Int
    ) -> Range<Int>? {
        let n = folded.count
        var best: (start: Int, end: Int)?
        var i = from
        stamp += 1
        while i <= n {
            if best == nil {
                if lists.0.count == 0, let first = firstUnits {
                    // No thread is alive: skip to where a match can start.
                    guard let next = Pattern.next(first, in: folded, from: i) else { return nil }
                    i = next
                }
                add(program, &lists.0, 0, start: i, at: i, folded, stamps, stack, stamp)
            }
            if lists.0.count == 0 { break }
            var f: UInt32 = 0
            var p: UInt32 = 0
            var width = 1
            if i < n {
                (f, width) = Pattern.scalar(folded, i)
                (p, _) = Pattern.scalar(printed, i)
            }
            stamp += 1
            for k in 0..<lists.0.count {
                let (pc, start) = (lists.0.pcs[k], lists.0.starts[k])
                if let b = best, start > b.start { continue }
                switch program[pc] {
                case .match:
                    if any { return start..<i }
                    if best == nil || start < best!.start || (start == best!.start && i > best!.end) {
                        best = (start, i)
                    }
                case .char(let c):
                    if i < n && c == f {
                        add(program, &lists.1, pc + 1, start: start, at: i + width, folded, stamps, stack, stamp)
                    }
                case .any:
                    if i < n && f != 0x0A {
                        add(program, &lists.1, pc + 1, start: start, at: i + width, folded, stamps, stack, stamp)
                    }
                case .set(let s):
                    if i < n && f != 0x0A && sets[s].matches(printed: p, folded: f) {
                        add(program, &lists.1, pc + 1, start: start, at: i + width, folded, stamps, stack, stamp)
                    }
                default: break
                }
            }
            if i >= n { break }
            i += width
            swap(&lists.0, &lists.1)
            lists.1.count = 0
        }
        return best.map { $0.start..<$0.end }
    }

    /// The first unit at or after `from` that is one of `units`.
    static func next(_ units: [UInt16], in text: UnsafeBufferPointer<UInt16>, from: Int) -> Int? {
        if units.count == 1 {
            return withUnsafePointer(to: units[0]) {
                UTF16Text.find(text, UnsafeBufferPointer(start: $0, count: 1), from: from)
            }
        }
        var i = from
        while i < text.count {
            if units.contains(text[i]) { return i }
            i += 1
        }
        return nil
    }

    /// Adds a thread at `pc`, following jumps, splits and assertions (their closure),
    /// unless this step has been there already (a thread of an earlier start, which wins).
    @inline(__always)
    static func add(
        _ program: UnsafeBufferPointer<Inst>, _ list: inout ThreadList, _ pc: Int, start: Int, at i: Int,
        _ text: UnsafeBufferPointer<UInt16>,
        _ stamps: UnsafeMutablePointer<Int>, _ stack: UnsafeMutablePointer<Int>, _ stamp: Int
    ) {
        var top = 0
        stack[top] = pc
        top += 1
        while top > 0 {
            top -= 1
            let pc = stack[top]
            guard stamps[pc] != stamp else { continue }
            stamps[pc] = stamp
            switch program[pc] {
            case .jump(let to):
                stack[top] = to
                top += 1
            case .split(let a, let b):
                stack[top] = b
                stack[top + 1] = a
                top += 2
            case .lineStart:
                if i == 0 || text[i - 1] == 0x0A {
                    stack[top] = pc + 1
                    top += 1
                }
            case .lineEnd:
                if i == text.count || text[i] == 0x0A {
                    stack[top] = pc + 1
                    top += 1
                }
            default: list.append(pc, start)
            }
        }
    }

    static func scalar(_ t: UnsafeBufferPointer<UInt16>, _ i: Int) -> (UInt32, Int) {
        let u = t[i]
        if u & 0xFC00 == 0xD800 && i + 1 < t.count && t[i + 1] & 0xFC00 == 0xDC00 {
            return (0x10000 + (UInt32(u & 0x3FF) << 10 | UInt32(t[i + 1] & 0x3FF)), 2)
        }
        return (UInt32(u), 1)
    }

    /// Threads of one step, program counters in priority order with their starts.
    struct ThreadList {
        let pcs: UnsafeMutablePointer<Int>
        let starts: UnsafeMutablePointer<Int>
        var count = 0
        @inline(__always) mutating func append(_ pc: Int, _ start: Int) {
            pcs[count] = pc
            starts[count] = start
            count += 1
        }
    }

    // MARK: what every match contains

    static func nullable(_ n: Node) -> Bool {
        switch n {
        case .char, .any, .set: return false
        case .lineStart, .lineEnd: return true
        case .concat(let xs): return xs.allSatisfy(nullable)
        case .alt(let xs): return xs.contains(where: nullable)
        case .repeated(let x, let lo, _): return lo == 0 || nullable(x)
        }
    }

    /// What a node's matches are known to hold: the exact set of texts it matches when
    /// that set is small, or else a condition on literals they all contain.
    struct Literals {
        var exact: Set<String>?
        var condition: IndexExpr?
        static let unknown = Literals(exact: nil, condition: nil)
    }

    static let maxExact = 16

    static func literals(_ n: Node) -> Literals {
        switch n {
        case .char(let c): return Literals(exact: [String(Unicode.Scalar(c).map(Character.init) ?? " ")])
        case .any, .set: return .unknown
        case .lineStart, .lineEnd: return Literals(exact: [""])
        case .concat(let xs):
            var exact: Set<String>? = [""]
            var conditions: [IndexExpr] = []
            for x in xs {
                let l = literals(x)
                if let e = exact, let le = l.exact, e.count * le.count <= maxExact {
                    exact = Set(e.flatMap { a in le.map { a + $0 } })
                    continue
                }
                if let e = exact, let c = condition(of: e) { conditions.append(c) }
                exact = l.exact
                if exact == nil, let c = l.condition { conditions.append(c) }
            }
            if let e = exact, !conditions.isEmpty, let c = condition(of: e) {
                conditions.append(c)
                exact = nil
            }
            if exact != nil { return Literals(exact: exact) }
            return Literals(exact: nil, condition: and(conditions))
        case .alt(let xs):
            let ls = xs.map(literals)
            if ls.allSatisfy({ $0.exact != nil }) {
                let all = ls.reduce(into: Set<String>()) { $0.formUnion($1.exact!) }
                if all.count <= maxExact { return Literals(exact: all) }
            }
            var parts: [IndexExpr] = []
            for l in ls {
                guard let c = l.exact.flatMap(condition) ?? l.condition else { return .unknown }
                parts.append(c)
            }
            return Literals(exact: nil, condition: parts.count == 1 ? parts[0] : .or(parts))
        case .repeated(let x, let lo, let hi):
            let l = literals(x)
            if lo == 1 && hi == 1 { return l }
            if lo == 0 { return .unknown }
            return Literals(exact: nil, condition: l.exact.flatMap(condition) ?? l.condition)
        }
    }

    /// Any of these texts: nil when one is empty (it says nothing about the text).
    static func condition(of texts: Set<String>) -> IndexExpr? {
        guard !texts.isEmpty, !texts.contains("") else { return nil }
        let terms = texts.sorted().map { IndexExpr.keyword(Folding.fold($0), .any) }
        return terms.count == 1 ? terms[0] : .or(terms)
    }

    static func and(_ xs: [IndexExpr]) -> IndexExpr? {
        xs.isEmpty ? nil : xs.count == 1 ? xs[0] : .and(xs)
    }

    static func toIndex(_ l: Literals) -> IndexExpr? { l.exact.flatMap(condition) ?? l.condition }
}

/// Pattern text → syntax tree.
struct PatternParser {
    let s: [Unicode.Scalar]
    var i = 0
    var depth = 0

    init(_ s: [Unicode.Scalar]) { self.s = s }

    func fail(_ message: String, at offset: Int? = nil) -> Pattern.SyntaxError {
        Pattern.SyntaxError(message: message, offset: offset ?? i)
    }

    mutating func parse() throws -> Pattern.Node {
        if s.isEmpty { throw fail("empty pattern") }
        let n = try alternation()
        if i < s.count {
            throw fail(s[i] == ")" ? "unmatched ')'" : "unexpected '\(s[i])'")
        }
        return n
    }

    mutating func alternation() throws -> Pattern.Node {
        var alts = [try concatenation()]
        while i < s.count && s[i] == "|" {
            i += 1
            alts.append(try concatenation())
        }
        return alts.count == 1 ? alts[0] : .alt(alts)
    }

    mutating func concatenation() throws -> Pattern.Node {
        var items: [Pattern.Node] = []
        while i < s.count && s[i] != "|" && s[i] != ")" {
            items.append(try repetition())
        }
        if items.isEmpty { throw fail("empty alternative: nothing on one side of '|' or inside '( )'") }
        return items.count == 1 ? items[0] : .concat(items)
    }

    mutating func repetition() throws -> Pattern.Node {
        let at = i
        var node = try atom()
        while i < s.count {
            let (lo, hi): (Int, Int?)
            switch s[i] {
            case "*": (lo, hi) = (0, nil)
            case "+": (lo, hi) = (1, nil)
            case "?": (lo, hi) = (0, 1)
            case "{":
                guard let b = try bounds() else { return node }
                (lo, hi) = b
                node = .repeated(node, min: lo, max: hi)
                if i < s.count && s[i] == "?" { i += 1 } // lazy: the same matches
                continue
            default: return node
            }
            i += 1
            if case .lineStart = node { throw fail("nothing to repeat before '\(s[i - 1])'", at: at) }
            node = .repeated(node, min: lo, max: hi)
            if i < s.count && s[i] == "?" { i += 1 } // lazy: the same matches
        }
        return node
    }

    /// `{n}`, `{n,}`, `{n,m}` at `i`; nil (and `{` read as a literal) when it is not one.
    mutating func bounds() throws -> (Int, Int?)? {
        let start = i
        var j = i + 1
        func number() -> Int? {
            var v = 0
            var digits = 0
            while j < s.count, let d = s[j].properties.numericType == .decimal ? Int(String(s[j])) : nil {
                v = min(v * 10 + d, 1_000_000)
                j += 1
                digits += 1
            }
            return digits > 0 ? v : nil
        }
        guard let lo = number() else { return nil }
        var hi: Int? = lo
        if j < s.count && s[j] == "," {
            j += 1
            hi = number()
        }
        guard j < s.count && s[j] == "}" else { return nil }
        i = j + 1
        if let h = hi, h < lo { throw fail("{\(lo),\(h)}: the smaller count comes first", at: start) }
        if lo > Pattern.maxRepeat || (hi ?? 0) > Pattern.maxRepeat {
            throw fail("a repeat count above \(Pattern.maxRepeat)", at: start)
        }
        return (lo, hi)
    }

    mutating func atom() throws -> Pattern.Node {
        let c = s[i]
        switch c {
        case "(":
            let open = i
            i += 1
            if i + 1 < s.count && s[i] == "?" && s[i + 1] == ":" { i += 2 }
            depth += 1
            if depth > 100 { throw fail("groups nested too deeply") }
            let inner = try alternation()
            depth -= 1
            guard i < s.count && s[i] == ")" else { throw fail("unclosed '('", at: open) }
            i += 1
            return inner
        case "[":
            return .set(try charClass())
        case ".":
            i += 1
            return .any
        case "^":
            i += 1
            return .lineStart
        case "$":
            i += 1
            return .lineEnd
        case "*", "+", "?":
            throw fail("nothing to repeat before '\(c)'")
        case "\\":
            return try escape().node
        default:
            i += 1
            return .char(Folding.fold(c.value))
        }
    }

    /// An escape at `i`: a literal character, or a class (\d \w \s and their negations).
    mutating func escape() throws -> (node: Pattern.Node, scalar: UInt32?) {
        i += 1
        guard i < s.count else { throw fail("the pattern ends with '\\'", at: i - 1) }
        let c = s[i]
        i += 1
        var set = Pattern.CharSet()
        switch c {
        case "d": set.digit = true
        case "D": set.notDigit = true
        case "w": set.word = true
        case "W": set.notWord = true
        case "s": set.space = true
        case "S": set.notSpace = true
        case "n": return (.char(0x0A), 0x0A)
        case "t": return (.char(0x09), 0x09)
        default:
            if c.properties.isAlphabetic && c.isASCII || c.properties.numericType != nil {
                throw fail(
                    "unknown escape '\\\(c)' (known: \\d \\w \\s \\D \\W \\S \\n \\t, or \\ before punctuation)",
                    at: i - 2)
            }
            return (.char(Folding.fold(c.value)), c.value)
        }
        return (.set(set), nil)
    }

    mutating func charClass() throws -> Pattern.CharSet {
        let open = i
        i += 1
        var set = Pattern.CharSet()
        if i < s.count && s[i] == "^" {
            set.negated = true
            i += 1
        }
        var first = true
        while i < s.count && (s[i] != "]" || first) {
            first = false
            var lo: UInt32
            if s[i] == "\\" {
                let (node, scalar) = try escape()
                guard let v = scalar else {
                    if case .set(let named) = node {
                        set.digit = set.digit || named.digit
                        set.word = set.word || named.word
                        set.space = set.space || named.space
                        set.notDigit = set.notDigit || named.notDigit
                        set.notWord = set.notWord || named.notWord
                        set.notSpace = set.notSpace || named.notSpace
                    }
                    continue
                }
                lo = v
            } else {
                lo = s[i].value
                i += 1
            }
            var hi = lo
            if i + 1 < s.count && s[i] == "-" && s[i + 1] != "]" {
                i += 1
                if s[i] == "\\" {
                    guard let v = try escape().scalar else { throw fail("a range cannot end in a class") }
                    hi = v
                } else {
                    hi = s[i].value
                    i += 1
                }
                if hi < lo { throw fail("range out of order in [ ]") }
            }
            set.ranges.append(lo...hi)
            if lo == hi && Folding.fold(lo) != lo { set.ranges.append(Folding.fold(lo)...Folding.fold(lo)) }
        }
        guard i < s.count else { throw fail("unclosed '['", at: open) }
        i += 1
        return set
    }
}

/// Syntax tree → program.
struct PatternCompiler {
    var program: [Pattern.Inst] = []
    var sets: [Pattern.CharSet] = []

    mutating func push(_ x: Pattern.Inst) throws {
        if program.count >= Pattern.maxProgram {
            throw Pattern.SyntaxError(
                message: "the pattern is too large (its repeats expand past \(Pattern.maxProgram) steps)", offset: 0)
        }
        program.append(x)
    }

    mutating func emit(_ n: Pattern.Node) throws {
        switch n {
        case .char(let c): try push(.char(c))
        case .any: try push(.any)
        case .set(let s):
            sets.append(s)
            try push(.set(sets.count - 1))
        case .lineStart: try push(.lineStart)
        case .lineEnd: try push(.lineEnd)
        case .concat(let xs): for x in xs { try emit(x) }
        case .alt(let xs):
            // split L1, next; L1: x0; jump end; next: split L2, … ; last: xn
            var jumps: [Int] = []
            for (k, x) in xs.enumerated() {
                if k < xs.count - 1 {
                    let split = program.count
                    try push(.split(split + 1, 0))
                    try emit(x)
                    jumps.append(program.count)
                    try push(.jump(0))
                    program[split] = .split(split + 1, program.count)
                } else {
                    try emit(x)
                }
            }
            for j in jumps { program[j] = .jump(program.count) }
        case .repeated(let x, let lo, let hi):
            for _ in 0..<lo { try emit(x) }
            if let hi {
                // (x(x(x)?)?)? for the optional copies
                var splits: [Int] = []
                for _ in lo..<hi {
                    splits.append(program.count)
                    try push(.split(program.count + 1, 0))
                    try emit(x)
                }
                for sp in splits { program[sp] = .split(sp + 1, program.count) }
            } else {
                // L: split body, end; body: x; jump L
                let split = program.count
                try push(.split(split + 1, 0))
                try emit(x)
                try push(.jump(split))
                program[split] = .split(split + 1, program.count)
            }
        }
    }
}
