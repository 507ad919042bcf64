// Searching text in its folded form without keeping a folded copy of it. A needle is
// folded once; a row whose text folding leaves alone (nearly all of them, the index
// knows which: KeywordIndex.foldedRows) is searched as it is, and only a row that
// folding changes is folded into scratch space and searched again. Text that holds the
// folded needle as printed holds it folded too (folding twice = folding once), so the
// first search alone settles every row it finds the needle in.

import Foundation

/// A keyword in the forms the text columns are searched in.
public struct SearchNeedle: Sendable, Equatable {
    /// Folded, unless `exact`.
    public let text: String
    public let utf8: [UInt8]
    public let utf16: [UInt16]
    /// Compare with the text as printed (`exact:"…"`): no folding on either side.
    public let exact: Bool

    public init(_ keyword: String, exact: Bool = false) {
        text = exact ? keyword : Folding.fold(keyword)
        utf8 = Array(text.utf8)
        utf16 = Array(text.utf16)
        self.exact = exact
    }
}

extension Store {
    /// Does the headline of article `row` hold the needle?
    /// A space in the needle also matches the break between two headline lines (a title
    /// is shown with its lines joined by a space).
    public func headlineHolds(_ row: Int, _ n: SearchNeedle) -> Bool {
        if articles.headline.text.contains(row: row, n.utf8) { return true }
        let spaced = n.utf8.contains(0x20)
        guard spaced || (!n.exact && titleIndex.isFolded(row)) else { return false }
        var text = articles.headline.text[row]
        if !n.exact { text = Folding.fold(text) }
        if spaced { text = text.replacingOccurrences(of: "\n", with: " ") }
        return text.utf8.count >= n.utf8.count && text.contains(n.text)
    }

    /// Does the body of article `row` hold the needle?
    public func bodyHolds(_ row: Int, _ n: SearchNeedle) -> Bool {
        if articles.body.contains(row: row, n.utf16) { return true }
        guard !n.exact, bodyIndex.isFolded(row) else { return false }
        return articles.body.withUnits(row) { units in
            let folded = Folding.folded(units)
            return folded.withUnsafeBufferPointer { h in
                n.utf16.withUnsafeBufferPointer { UTF16Text.find(h, $0) != nil }
            }
        }
    }

    /// The text of part `part` of article `row` as UTF-16 units, with its folded form
    /// (the same buffer when folding leaves it alone): for readers that need positions
    /// (kwic, proximity, patterns). Part 0 is the headline lines, part 1 the body.
    public func withSearchText<R>(
        _ row: Int, part: Int,
        _ body: (_ printed: UnsafeBufferPointer<UInt16>, _ folded: UnsafeBufferPointer<UInt16>) -> R
    ) -> R {
        if part == 0 {
            let units = Array(articles.headline.text[row].utf16)
            let folded = titleIndex.isFolded(row) ? units.withUnsafeBufferPointer { Folding.folded($0) } : units
            return units.withUnsafeBufferPointer { p in folded.withUnsafeBufferPointer { f in body(p, f) } }
        }
        return articles.body.withUnits(row) { units in
            guard bodyIndex.isFolded(row) else { return body(units, units) }
            let folded = Folding.folded(units)
            return folded.withUnsafeBufferPointer { body(units, $0) }
        }
    }
}
