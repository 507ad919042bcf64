// Posting lists of a list column (districts, places, reporters): for every dictionary
// code, the articles whose list holds it, ascending. Made once per store on first use,
// in one pass over the column (a million articles' districts in a few milliseconds), and
// kept by the store like the zone maps. A district is a sixteenth of the corpus, which a
// date zone scan cannot narrow to: `群众 district:金水区 date:2021` starts from the
// district's articles instead of the year's.
import KanbaoStore

struct ListPostings: Sendable {
    /// Articles of code c: rows[starts[c] ..< starts[c + 1]].
    let starts: [Int32]
    let rows: [Int32]

    init(_ column: DictionaryListColumn) {
        let codes = column.values.dictionary.count
        var counts = [Int32](repeating: 0, count: codes + 1)
        let n = column.count
        for r in 0..<n {
            for c in column.codes(r) where c >= 0 && Int(c) < codes { counts[Int(c) + 1] += 1 }
        }
        for c in 0..<codes { counts[c + 1] += counts[c] }
        var next = counts
        var rows = [Int32](repeating: 0, count: Int(counts[codes]))
        for r in 0..<n {
            for c in column.codes(r) where c >= 0 && Int(c) < codes {
                // A code twice in one list is posted once (rows arrive in order, so a
                // repeat is the list's last row).
                let at = Int(next[Int(c)])
                if at == Int(counts[Int(c)]) || rows[at - 1] != Int32(r) {
                    rows[at] = Int32(r)
                    next[Int(c)] += 1
                }
            }
        }
        // A repeat that was skipped leaves the end of its list unused: keep what was filled.
        var compact: [Int32] = []
        var starts: [Int32] = [0]
        compact.reserveCapacity(rows.count)
        for c in 0..<codes {
            compact.append(contentsOf: rows[Int(counts[c])..<Int(next[c])])
            starts.append(Int32(compact.count))
        }
        self.starts = starts
        self.rows = compact
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
