// Searching text in its folded form without keeping a folded copy of it. A needle is
// folded once; a row is searched as it is unless it holds a kind of folding that can make
// one of the needle's characters (KeywordIndex.foldKinds, SearchNeedle.kinds), and only
// then folded into scratch space and searched again. Text that holds the folded needle as
// printed holds it folded too (folding twice = folding once), so the first search alone
// settles every row it finds the needle in; and where no character of the needle can be
// made by folding the row, the folded row holds the needle exactly where the row does.
import Foundation

/// A keyword in the forms the text columns are searched in.
public struct SearchNeedle: Sendable, Equatable {
    /// Folded, unless `exact`.
    public let text: String
    public let utf8: [UInt8]
    public let utf16: [UInt16]
    /// Compare with the text as printed (`exact:"…"`): no folding on either side.
    public let exact: Bool
    /// The kinds of folding that can make a character of the needle (0 for exact).
    public let kinds: UInt8
    /// Does the needle hold a space (which also matches a headline's line break)?
    public let hasSpace: Bool

    public init(_ keyword: String, exact: Bool = false) {
        text = exact ? keyword : Folding.fold(keyword)
        utf8 = Array(text.utf8)
        utf16 = Array(text.utf16)
        self.exact = exact
        kinds = exact ? 0 : Folding.kinds(of: utf16)
        hasSpace = utf8.contains(0x20)
    }
}

extension Store {
    /// Does the headline of article `row` hold the needle? A space in the needle also
    /// matches the break between two headline lines (a title is shown with its lines
    /// joined by a space).
    public func headlineHolds(_ row: Int, _ n: SearchNeedle) -> Bool {
        if articles.headline.text.contains(row: row, n.utf8) { return true }
        let fold = titleIndex.mustFold(row, for: n.kinds)
        guard n.hasSpace || fold else { return false }
        var text = articles.headline.text[row]
        if fold { text = Folding.fold(text) }
        if n.hasSpace { text = text.replacingOccurrences(of: "\n", with: " ") }
        return text.utf8.count >= n.utf8.count && text.contains(n.text)
    }

    /// Does the body of article `row` hold the needle?
    public func bodyHolds(_ row: Int, _ n: SearchNeedle) -> Bool {
        if articles.body.contains(row: row, n.utf16) { return true }
        guard bodyIndex.mustFold(row, for: n.kinds) else { return false }
        return articles.body.withUnits(row) { units in
            let folded = Folding.folded(units)
            return folded.withUnsafeBufferPointer { h in
                n.utf16.withUnsafeBufferPointer { UTF16Text.find(h, $0) != nil }
            }
        }
    }

    /// The text of part `part` of article `row` as UTF-16 units, with its folded form —
    /// the same buffer unless the row holds one of `kinds` of folding: for readers that
    /// need positions (kwic, proximity, patterns). Part 0 is the headline lines, part 1
    /// the body.
    public func withSearchText<R>(
        _ row: Int, part: Int, kinds: UInt8 = Folding.traditional | Folding.width,
        _ body: (_ printed: UnsafeBufferPointer<UInt16>, _ folded: UnsafeBufferPointer<UInt16>) -> R
    ) -> R {
        if part == 0 {
            let units = articles.headline.text.withBytes(row) { UTF8Scalars.utf16($0) }
            return units.withUnsafeBufferPointer { p in
                guard titleIndex.mustFold(row, for: kinds) else { return body(p, p) }
                let folded = Folding.folded(p)
                return folded.withUnsafeBufferPointer { body(p, $0) }
            }
        }
        return articles.body.withUnits(row) { units in
            guard bodyIndex.mustFold(row, for: kinds) else { return body(units, units) }
            let folded = Folding.folded(units)
            return folded.withUnsafeBufferPointer { body(units, $0) }
        }
    }
}
