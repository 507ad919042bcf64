// The snapshot's layout, declared once: each table's sections in file order, each with
// how it is written, how it is read back and how many entries it has per row of its
// table. The writer, the reader and the validation of a loaded file all read these
// lists, so a column is added to the format in one place.
import Foundation

/// How a section's length relates to its table's rows.
enum SectionRows: Sendable {
    /// One entry per row.
    case each
    /// Offsets: one more than the rows, the first 0.
    case offsets
    /// A fixed number of entries per row.
    case times(Int)
    /// Any length (side tables such as the rare long values).
    case any
}

/// One section of a table in the file.
struct Section<Table>: Sendable {
    let name: String
    let rows: SectionRows
    let write: @Sendable (inout Snapshot.Writer, Table) throws -> Void
    let read: @Sendable (inout Snapshot.Reader, inout Table) throws -> Void
    let count: @Sendable (Table) -> Int

    static func array<T: BitwiseCopyable>(
        _ name: String, _ column: WritableKeyPath<Table, ColumnBuffer<T>> & Sendable, _ rows: SectionRows
    ) -> Section {
        Section(
            name: name, rows: rows, write: { w, t in try w.array(t[keyPath: column]) },
            read: { r, t in t[keyPath: column] = try r.array() }, count: { $0[keyPath: column].count })
    }

    static func bools(_ name: String, _ column: WritableKeyPath<Table, ColumnBuffer<Bool>> & Sendable) -> Section {
        Section(
            name: name, rows: .each, write: { w, t in try w.array(t[keyPath: column]) },
            read: { r, t in t[keyPath: column] = try r.bools() }, count: { $0[keyPath: column].count })
    }

    static func strings(_ name: String, _ column: WritableKeyPath<Table, StringColumn> & Sendable, _ rows: SectionRows)
        -> Section
    {
        Section(
            name: name, rows: rows, write: { w, t in try w.strings(t[keyPath: column]) },
            read: { r, t in t[keyPath: column] = try r.strings() }, count: { $0[keyPath: column].count })
    }

    static func dict(_ name: String, _ column: WritableKeyPath<Table, DictionaryColumn> & Sendable, _ rows: SectionRows)
        -> Section
    {
        Section(
            name: name, rows: rows, write: { w, t in try w.dict(t[keyPath: column]) },
            read: { r, t in t[keyPath: column] = try r.dict() }, count: { $0[keyPath: column].count })
    }

    static func dictList(_ name: String, _ column: WritableKeyPath<Table, DictionaryListColumn> & Sendable) -> Section {
        Section(
            name: name, rows: .each, write: { w, t in try w.dictList(t[keyPath: column]) },
            read: { r, t in t[keyPath: column] = try r.dictList() }, count: { $0[keyPath: column].count })
    }

    /// A UTF-16 text column: its units, then its offsets.
    static func utf16(_ name: String, _ column: WritableKeyPath<Table, UTF16Column> & Sendable) -> Section {
        Section(
            name: name, rows: .each,
            write: { w, t in
                try w.array(t[keyPath: column].units)
                try w.array(t[keyPath: column].offsets)
            },
            read: { r, t in
                var c = UTF16Column()
                c.units = try r.array()
                c.offsets = try r.array()
                guard let last = c.offsets.last, last == c.units.count, c.offsets.first == 0,
                    Snapshot.isMonotonic(c.offsets)
                else { throw SnapshotError.damaged("\(name) offsets") }
                t[keyPath: column] = c
            }, count: { $0[keyPath: column].count })
    }

    /// A block-compressed text column: its row count, then its blocks.
    static func compressed(_ name: String, _ column: WritableKeyPath<Table, CompressedTextColumn> & Sendable)
        -> Section
    {
        Section(
            name: name, rows: .each,
            write: { w, t in
                let c = t[keyPath: column]
                precondition(c.pendingLengths.isEmpty, "a compressed column is written after its last flush")
                try w.u64(UInt64(c.count))
                try w.array(c.bytes)
                try w.array(c.starts)
                try w.array(c.sizes)
            },
            read: { r, t in
                var c = CompressedTextColumn()
                c.count = Int(clamping: try r.u64())
                c.bytes = try r.array()
                c.starts = try r.array()
                c.sizes = try r.array()
                guard c.isConsistent() else { throw SnapshotError.damaged("\(name) blocks") }
                t[keyPath: column] = c
            }, count: { $0[keyPath: column].count })
    }

    /// A sparse column: its row count, then the rows that have a value and the values.
    static func sparse(_ name: String, _ column: WritableKeyPath<Table, SparseNumberColumn> & Sendable) -> Section {
        Section(
            name: name, rows: .each,
            write: { w, t in
                let c = t[keyPath: column]
                try w.u64(UInt64(c.count))
                try w.array(c.rows)
                try w.array(c.values)
            }, read: { r, t in t[keyPath: column] = try r.sparse() }, count: { $0[keyPath: column].count })
    }
}

enum SnapshotLayout {
    static let articles: [Section<ArticleColumns>] = [
        .dict("source", \.source, .each),
        .strings("headline", \.headline.text, .each),
        .bools("headline lines", \.headline.hasLines),
        .array("title start", \.headline.titleStart, .each),
        .array("title length", \.headline.titleLength, .each),
        .array("own title rows", \.headline.ownTitleRows, .any),
        .strings("own titles", \.headline.ownTitles, .any),
        .compressed("byline", \.byline),
        .bools("has byline", \.hasByline),
        .dictList("reporters", \.reporters),
        .dictList("correspondents", \.correspondents),
        .dict("speaker", \.speaker, .each),
        .dict("district", \.district, .each),
        .dictList("districts", \.districts),
        .dictList("places", \.places),
        .array("date first", \.dateFirst, .each),
        .array("date last", \.dateLast, .each),
        .array("date precision", \.datePrecision, .each),
        .array("date source", \.dateSource, .each),
        .array("published day", \.publishedDay, .each),
        .array("published source", \.publishedSource, .each),
        .compressed("notes", \.notes),
        .utf16("body", \.body),
        .array("chars", \.chars, .each),
        .array("figure start", \.figureStart, .offsets),
    ]

    static let figures: [Section<FigureColumns>] = [
        .array("article", \.article, .each),
        .array("raw start", \.rawStart.small, .each),
        .array("far raw start rows", \.rawStart.largeRows, .any),
        .array("far raw starts", \.rawStart.largeValues, .any),
        .array("raw length", \.rawLength.small, .each),
        .array("long raw length rows", \.rawLength.largeRows, .any),
        .array("long raw lengths", \.rawLength.largeValues, .any),
        .array("value", \.value, .each),
        .sparse("value max", \.valueMax),
        .dict("unit", \.unit, .each),
        .array("approx", \.approx, .each),
        .array("context exception rows", \.contextExceptionRows, .any),
        .strings("context exceptions", \.contextExceptions, .any),
    ]

    static let pages: [Section<PageColumns>] = [
        .strings("source", \.source, .each),
        .array("year", \.year, .each),
        .array("month", \.month, .each),
        .array("day", \.day, .each),
        .array("publication source", \.publicationSource, .each),
        .array("page year", \.pageYear, .each),
        .dict("page year note", \.pageYearNote, .each),
        .dict("encoding", \.encoding, .each),
        .strings("banners", \.banners, .any),
        .array("banner start", \.bannerStart, .offsets),
        .strings("captions", \.captions, .any),
        .array("caption start", \.captionStart, .offsets),
        .array("replaced bytes", \.replacedBytes, .each),
        .array("character account", \.counts, .times(PageColumns.countsPerPage)),
        .dict("dropped reason", \.droppedReason, .any),
        .array("dropped count", \.droppedCount, .any),
        .array("dropped start", \.droppedStart, .offsets),
    ]

    /// The first section whose length does not fit `rows`, if any.
    static func misfit<Table>(_ sections: [Section<Table>], _ table: Table, rows: Int) -> String? {
        for s in sections {
            let n = s.count(table)
            switch s.rows {
            case .each: if n != rows { return s.name }
            case .offsets: if n != rows + 1 { return s.name }
            case .times(let k): if n != rows * k { return s.name }
            case .any: break
            }
        }
        return nil
    }
}
