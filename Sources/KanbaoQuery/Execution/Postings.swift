// Posting lists of a list column (districts, places, reporters): for every dictionary
// code, the articles whose list holds it, ascending. Made once per store on first use,
// in two passes over the column (the first query on a district pays ~50 ms at a million
// articles, 2.4 M district entries, 9 MiB of row numbers), and kept by the store like the
// zone maps. A district is a sixteenth of the corpus, which a
// date zone scan cannot narrow to: `群众 district:金水区 date:2021` starts from the
// district's articles instead of the year's.
import KanbaoStore

struct ListPostings: Sendable {
    /// Articles of code c: rows[starts[c] ..< starts[c + 1]].
    let starts: [Int32]
    let rows: [Int32]

    init(_ column: DictionaryListColumn) {
        let codes = column.values.dictionary.count
        let n = column.count
        // A code twice in one list is posted once: `last` is the row each code was last
        // posted for (rows arrive in order), in both passes.
        var last = [Int32](repeating: -1, count: codes)
        var starts = [Int32](repeating: 0, count: codes + 1)
        for r in 0..<n {
            for c in column.codes(r) where c >= 0 && Int(c) < codes && last[Int(c)] != Int32(r) {
                last[Int(c)] = Int32(r)
                starts[Int(c) + 1] += 1
            }
        }
        for c in 0..<codes { starts[c + 1] += starts[c] }
        var next = starts
        var rows = [Int32](repeating: 0, count: Int(starts[codes]))
        last = [Int32](repeating: -1, count: codes)
        for r in 0..<n {
            for c in column.codes(r) where c >= 0 && Int(c) < codes && last[Int(c)] != Int32(r) {
                last[Int(c)] = Int32(r)
                rows[Int(next[Int(c)])] = Int32(r)
                next[Int(c)] += 1
            }
        }
        self.starts = starts
        self.rows = rows
    }

    func rows(of code: Int32) -> ArraySlice<Int32> {
        guard code >= 0, Int(code) + 1 < starts.count else { return [] }
        return rows[Int(starts[Int(code)])..<Int(starts[Int(code) + 1])]
    }

    /// The postings of `field`'s list column in this store, made on first use.
    static func of(_ store: Store, _ field: Field, _ column: DictionaryListColumn) -> ListPostings {
        store.derived.value("postings of \(field.rawValue)") { ListPostings(column) }
    }
}
