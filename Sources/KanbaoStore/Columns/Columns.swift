// Column building blocks, in the manner of Arrow: values live in flat arrays and one
// UTF-8 heap per text column; nothing here allocates an object per row.
#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Whether two byte ranges hold the same bytes: lengths first, then memcmp (comparing
/// element by element, or as Strings, costs several times more on Chinese text).
@inline(__always) func sameBytes(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
    a.count == b.count && (a.isEmpty || memcmp(a.baseAddress!, b.baseAddress!, a.count) == 0)
}

/// Text column: one UTF-8 heap plus an offsets buffer (`offsets.count == count + 1`).
public struct StringColumn: Sendable {
    public internal(set) var heap = ColumnBuffer<UInt8>()
    public internal(set) var offsets: ColumnBuffer<Int> = [0]

    public init() {}

    public var count: Int { offsets.count - 1 }

    public mutating func reserve(bytes: Int) { heap.reserveCapacity(bytes) }

    public mutating func append(_ value: String) {
        heap.append(contentsOf: value.utf8)
        offsets.append(heap.count)
    }

    public mutating func append(bytes: UnsafeBufferPointer<UInt8>) {
        heap.append(contentsOf: bytes)
        offsets.append(heap.count)
    }

    public subscript(row: Int) -> String {
        let start = offsets[row]
        let end = offsets[row + 1]
        return heap.withUnsafeBufferPointer { buf in
            String(decoding: UnsafeBufferPointer(rebasing: buf[start..<end]), as: UTF8.self)
        }
    }

    /// The UTF-8 bytes of one row without copying them into a String.
    public func withBytes<R>(_ row: Int, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        let start = offsets[row]
        let end = offsets[row + 1]
        return heap.withUnsafeBufferPointer { body(UnsafeBufferPointer(rebasing: $0[start..<end])) }
    }

    public func byteCount(_ row: Int) -> Int { offsets[row + 1] - offsets[row] }
}

/// Categorical column: each row holds a small integer code into `dictionary`.
/// Code -1 is null. The distinct values are themselves a text column, so that a snapshot
/// maps them like any other column instead of building a String per value. A built
/// column of fewer than 255 values (units, districts, speakers) keeps its codes in one
/// byte each (`narrowCodes`, code + 1, 0 for null): a quarter of the memory, and of the
/// bytes a scan of it reads.
public struct DictionaryColumn: Sendable {
    /// The codes in four bytes each; empty when the column is narrow.
    public internal(set) var codes = ColumnBuffer<Int32>()
    /// The codes in one byte each (code + 1); empty unless the column is narrow.
    public internal(set) var narrowCodes = ColumnBuffer<UInt8>()
    public internal(set) var values = StringColumn()
    /// Value → code while the column is built: an open-addressing table of codes (-1 for
    /// an empty slot) with each value's hash beside it, keyed by the value's UTF-8 bytes.
    /// (A [String: Int32] hashed every Chinese value through Unicode normalisation, a
    /// tenth of the time of loading a corpus; bytes are also how a snapshot's values are
    /// compared.) Empty for a column read from a snapshot, which looks values up by
    /// scanning (only the binder does, once per name).
    var slots: [Int32] = []
    var slotHashes: [UInt32] = []

    public init() {}

    public var count: Int { codes.count + narrowCodes.count }

    public var isNarrow: Bool { !narrowCodes.isEmpty }

    /// Row i's code (-1 for null).
    @inline(__always) public func code(_ i: Int) -> Int32 { isNarrow ? Int32(narrowCodes[i]) - 1 : codes[i] }

    /// Moves the codes into one byte each if the dictionary has fewer than 255 values.
    public mutating func narrowIfSmall() {
        guard !isNarrow, !codes.isEmpty, values.count < 255 else { return }
        var narrow = ColumnBuffer<UInt8>()
        narrow.reserveCapacity(codes.count)
        codes.withUnsafeBufferPointer { c in for x in c { narrow.append(UInt8(truncatingIfNeeded: x + 1)) } }
        narrowCodes = narrow
        codes = ColumnBuffer<Int32>()
    }

    /// The distinct values, in code order.
    public var dictionary: DictionaryValues { DictionaryValues(column: values) }

    public mutating func code(for value: String) -> Int32 {
        var v = value
        return v.withUTF8 { bytes in
            if slots.isEmpty {
                slots = [Int32](repeating: -1, count: 64)
                slotHashes = [UInt32](repeating: 0, count: 64)
            }
            let h = DictionaryColumn.hash(bytes)
            let (slot, found) = find(bytes, hash: h)
            if let found { return found }
            let c = Int32(values.count)
            values.append(bytes: bytes)
            slots[slot] = c
            slotHashes[slot] = h
            if values.count * 2 > slots.count { rehash() }
            return c
        }
    }

    /// The slot holding these bytes' code, or the empty slot where it would go.
    func find(_ bytes: UnsafeBufferPointer<UInt8>, hash h: UInt32) -> (slot: Int, code: Int32?) {
        let mask = slots.count - 1
        var i = Int(h) & mask
        while slots[i] >= 0 {
            if slotHashes[i] == h && values.withBytes(Int(slots[i]), { sameBytes($0, bytes) }) { return (i, slots[i]) }
            i = (i + 1) & mask
        }
        return (i, nil)
    }

    mutating func rehash() {
        let (oldSlots, oldHashes) = (slots, slotHashes)
        slots = [Int32](repeating: -1, count: oldSlots.count * 2)
        slotHashes = [UInt32](repeating: 0, count: oldSlots.count * 2)
        let mask = slots.count - 1
        for (c, h) in zip(oldSlots, oldHashes) where c >= 0 {
            var i = Int(h) & mask
            while slots[i] >= 0 { i = (i + 1) & mask }
            slots[i] = c
            slotHashes[i] = h
        }
    }

    /// FNV-1a over the bytes, folded to 32 bits.
    @inline(__always) static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt32 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for b in bytes { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
        return UInt32(truncatingIfNeeded: h ^ (h >> 32))
    }

    public mutating func append(_ value: String?) {
        precondition(!isNarrow, "a narrowed column is built")
        codes.append(value.map { code(for: $0) } ?? -1)
    }

    public func existingCode(for value: String) -> Int32? {
        if values.count == 0 { return nil }
        if !slots.isEmpty {
            var v = value
            return v.withUTF8 { find($0, hash: DictionaryColumn.hash($0)).code }
        }
        let needle = Array(value.utf8)
        for i in 0..<values.count where values.byteCount(i) == needle.count {
            if values.withBytes(i, { $0.elementsEqual(needle) }) { return Int32(i) }
        }
        return nil
    }

    public subscript(row: Int) -> String? {
        let c = code(row)
        return c < 0 ? nil : values[Int(c)]
    }
}

/// A dictionary's values as a collection of strings (each made when read).
public struct DictionaryValues: RandomAccessCollection, Sendable {
    let column: StringColumn
    public var startIndex: Int { 0 }
    public var endIndex: Int { column.count }
    public subscript(i: Int) -> String { column[i] }
}

/// A list per row (districts, places, reporters): codes into one shared dictionary,
/// sliced by an offsets buffer.
public struct DictionaryListColumn: Sendable {
    public internal(set) var values = DictionaryColumn()
    public internal(set) var offsets: ColumnBuffer<Int32> = [0]

    public init() {}

    public var count: Int { offsets.count - 1 }

    public mutating func append(_ list: [String]) {
        for v in list { values.append(v) }
        offsets.append(Int32(values.count))
    }

    public subscript(row: Int) -> [String] {
        (Int(offsets[row])..<Int(offsets[row + 1])).map { values.dictionary[Int(values.codes[$0])] }
    }

    /// Codes of one row, for scans that compare integers rather than strings.
    public func codes(_ row: Int) -> Slice<ColumnBuffer<Int32>> {
        values.codes[Int(offsets[row])..<Int(offsets[row + 1])]
    }

    public func contains(row: Int, code: Int32) -> Bool {
        var i = Int(offsets[row])
        let end = Int(offsets[row + 1])
        while i < end {
            if values.codes[i] == code { return true }
            i += 1
        }
        return false
    }
}

/// Headline lines (kicker, title, sub-title) stored once, as the text `title:` searches:
/// a row's lines joined with "\n" — or, for a row without any, its title. The lines are
/// split back out when asked for (a line never holds a line break).
public struct HeadlineColumn: Sendable {
    public internal(set) var text = StringColumn()
    public internal(set) var hasLines = ColumnBuffer<Bool>()
    /// The title is nearly always one of the headline's lines: it is kept as where it
    /// starts in the row's headline text and its byte length (a third of what storing
    /// it again took), and only a title that is not in its headline as text of its own.
    public internal(set) var titleStart = ColumnBuffer<Int32>()
    public internal(set) var titleLength = ColumnBuffer<UInt16>()
    /// Rows whose title is not in their headline (start -1), ascending, and those titles.
    public internal(set) var ownTitleRows = ColumnBuffer<Int32>()
    public internal(set) var ownTitles = StringColumn()

    public init() {}

    public var count: Int { hasLines.count }

    public mutating func append(lines: [String], title: String) {
        let row = count
        let joined = lines.isEmpty ? title : lines.joined(separator: "\n")
        text.append(joined)
        hasLines.append(!lines.isEmpty)
        // The title where a whole line of the headline is it, else the first place it occurs.
        var offset = 0
        var start: Int?
        for line in lines.isEmpty ? [title] : lines {
            if line == title {
                start = offset
                break
            }
            offset += line.utf8.count + 1
        }
        if start == nil, !title.isEmpty, let r = joined.range(of: title) {
            start = joined.utf8.distance(from: joined.startIndex, to: r.lowerBound)
        }
        if let start, title.utf8.count <= Int(UInt16.max) {
            titleStart.append(Int32(start))
            titleLength.append(UInt16(title.utf8.count))
        } else {
            titleStart.append(-1)
            titleLength.append(0)
            ownTitleRows.append(Int32(row))
            ownTitles.append(title)
        }
    }

    public subscript(row: Int) -> [String] {
        hasLines[row] ? text[row].split(separator: "\n", omittingEmptySubsequences: false).map(String.init) : []
    }

    /// The title's UTF-8 bytes, in place.
    public func withTitleBytes<R>(_ row: Int, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        let start = Int(titleStart[row])
        if start < 0 {
            guard let k = ownTitleRows.sortedIndex(of: Int32(row)) else {
                return body(UnsafeBufferPointer(start: nil, count: 0))
            }
            return ownTitles.withBytes(k, body)
        }
        return text.withBytes(row) { line in
            let end = start + Int(titleLength[row])
            // A damaged snapshot must not read outside the row (the load checks this too).
            guard end <= line.count else { return body(UnsafeBufferPointer(start: nil, count: 0)) }
            return body(UnsafeBufferPointer(rebasing: line[start..<end]))
        }
    }

    public func title(_ row: Int) -> String { withTitleBytes(row) { String(decoding: $0, as: UTF8.self) } }

    /// Every title lies inside its row's headline text or is one of its own.
    func titlesAreWhole() -> Bool {
        guard titleStart.count == count, titleLength.count == count, ownTitleRows.count == ownTitles.count else {
            return false
        }
        var own = 0
        for row in 0..<count {
            let start = Int(titleStart[row])
            if start < 0 {
                guard own < ownTitleRows.count, ownTitleRows[own] == Int32(row) else { return false }
                own += 1
            } else if start + Int(titleLength[row]) > text.byteCount(row) {
                return false
            }
        }
        return own == ownTitleRows.count
    }

    public var titleByteSize: Int {
        count * 6 + ownTitleRows.count * 4 + ownTitles.heap.count + ownTitles.offsets.count * 8
    }
}

/// The articles' titles, read from the headline column (HeadlineColumn keeps them).
public struct TitleView: Sendable {
    let headline: HeadlineColumn
    public var count: Int { headline.count }
    public subscript(row: Int) -> String { headline.title(row) }
    public func withBytes<R>(_ row: Int, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        headline.withTitleBytes(row, body)
    }
}

/// A number column that is nearly always empty (a figure's upper bound, present only for
/// ranges like 3至5万): the rows that have a value, ascending, and their values. Absent
/// rows read as NaN.
public struct SparseNumberColumn: Sendable {
    public internal(set) var rows = ColumnBuffer<Int32>()
    public internal(set) var values = ColumnBuffer<Double>()
    public internal(set) var count = 0

    public init() {}

    public mutating func append(_ v: Double?) {
        if let v {
            rows.append(Int32(count))
            values.append(v)
        }
        count += 1
    }

    public subscript(row: Int) -> Double {
        rows.sortedIndex(of: Int32(row)).map { values[$0] } ?? .nan
    }
}

/// The pages table, column by column: a corpus of a million articles has over a hundred
/// thousand pages, and a record (with its strings and its dictionary of dropped
/// characters) per page cost more than all the dates of all the articles. A page is
/// rebuilt as a `PageRecord` when asked for; totals are summed from the columns.
public struct PageColumns: RandomAccessCollection, Sendable {
    public internal(set) var source = StringColumn()
    /// Publication date (year 0 when unknown; month and day 0 when unknown).
    public internal(set) var year = ColumnBuffer<Int32>()
    public internal(set) var month = ColumnBuffer<UInt8>()
    public internal(set) var day = ColumnBuffer<UInt8>()
    public internal(set) var publicationSource = ColumnBuffer<UInt8>()
    public internal(set) var pageYear = ColumnBuffer<Int32>()
    public internal(set) var pageYearNote = DictionaryColumn()
    public internal(set) var encoding = DictionaryColumn()
    public internal(set) var banners = StringColumn()
    public internal(set) var bannerStart: ColumnBuffer<Int32> = [0]
    public internal(set) var captions = StringColumn()
    public internal(set) var captionStart: ColumnBuffer<Int32> = [0]
    public internal(set) var replacedBytes = ColumnBuffer<Int64>()
    /// Character account: read, headlines, bylines, bodies, sub-heads, banners, captions —
    /// seven numbers per page, page after page.
    public internal(set) var counts = ColumnBuffer<Int64>()
    /// Dropped characters: (reason, count) pairs, those of page i at droppedStart[i] ..< droppedStart[i+1].
    public internal(set) var droppedReason = DictionaryColumn()
    public internal(set) var droppedCount = ColumnBuffer<Int64>()
    public internal(set) var droppedStart: ColumnBuffer<Int32> = [0]

    static let countsPerPage = 7

    public init() {}

    public var startIndex: Int { 0 }
    public var endIndex: Int { year.count }

    public mutating func append(_ p: PageRecord) {
        source.append(p.source)
        year.append(Int32(clamping: p.publicationDate?.year ?? 0))
        month.append(UInt8(clamping: p.publicationDate?.month ?? 0))
        day.append(UInt8(clamping: p.publicationDate?.day ?? 0))
        publicationSource.append(p.publicationSource.rawValue)
        pageYear.append(Int32(clamping: p.pageYear ?? 0))
        pageYearNote.append(p.pageYearNote)
        encoding.append(p.encoding)
        for b in p.banners { banners.append(b) }
        bannerStart.append(Int32(banners.count))
        for c in p.captions { captions.append(c) }
        captionStart.append(Int32(captions.count))
        replacedBytes.append(Int64(p.replacedBytes))
        let a = p.account
        for v in [a.read, a.headlines, a.bylines, a.bodies, a.subheads, a.banners, a.captions] {
            counts.append(Int64(v))
        }
        for (k, v) in a.dropped.sorted(by: { $0.key < $1.key }) {
            droppedReason.append(k)
            droppedCount.append(Int64(v))
        }
        droppedStart.append(Int32(droppedCount.count))
    }

    public func account(_ i: Int) -> CharacterAccount {
        var a = CharacterAccount()
        let c = i * PageColumns.countsPerPage
        a.read = Int(counts[c])
        a.headlines = Int(counts[c + 1])
        a.bylines = Int(counts[c + 2])
        a.bodies = Int(counts[c + 3])
        a.subheads = Int(counts[c + 4])
        a.banners = Int(counts[c + 5])
        a.captions = Int(counts[c + 6])
        for k in Int(droppedStart[i])..<Int(droppedStart[i + 1]) {
            a.dropped[droppedReason[k] ?? "", default: 0] += Int(droppedCount[k])
        }
        return a
    }

    /// The whole corpus's account, summed column by column.
    public var totalAccount: CharacterAccount {
        var a = CharacterAccount()
        var sums = [Int](repeating: 0, count: PageColumns.countsPerPage)
        counts.withUnsafeBufferPointer { b in
            for (k, v) in b.enumerated() { sums[k % PageColumns.countsPerPage] += Int(v) }
        }
        a.read = sums[0]
        a.headlines = sums[1]
        a.bylines = sums[2]
        a.bodies = sums[3]
        a.subheads = sums[4]
        a.banners = sums[5]
        a.captions = sums[6]
        var byCode = [Int](repeating: 0, count: droppedReason.dictionary.count)
        for k in 0..<droppedCount.count { byCode[Int(droppedReason.code(k))] += Int(droppedCount[k]) }
        for (code, n) in byCode.enumerated() { a.dropped[droppedReason.dictionary[code]] = n }
        return a
    }

    public subscript(i: Int) -> PageRecord {
        let y = Int(year[i])
        var p = PageRecord(
            source: source[i],
            publicationDate: y == 0 ? nil : PartialDate(year: y, month: Int(month[i]), day: Int(day[i])),
            pageYear: pageYear[i] == 0 ? nil : Int(pageYear[i]), pageYearNote: pageYearNote[i] ?? "",
            encoding: encoding[i] ?? "",
            banners: (Int(bannerStart[i])..<Int(bannerStart[i + 1])).map { banners[$0] },
            captions: (Int(captionStart[i])..<Int(captionStart[i + 1])).map { captions[$0] },
            account: account(i))
        p.replacedBytes = Int(replacedBytes[i])
        p.publicationSource = DateSource(rawValue: publicationSource[i]) ?? .none
        return p
    }
}

/// Small non-negative integers (a figure's raw text is a few units long, its start a
/// few hundred units into its body) in one narrow unsigned integer each; the rare value
/// that does not fit is kept beside them as a (row, value) pair, its narrow slot at the
/// type's maximum.
public struct NarrowIntColumn<Small: FixedWidthInteger & UnsignedInteger & BitwiseCopyable & Sendable>: Sendable {
    public internal(set) var small = ColumnBuffer<Small>()
    public internal(set) var largeRows = ColumnBuffer<Int32>()
    public internal(set) var largeValues = ColumnBuffer<Int32>()

    public init() {}

    public var count: Int { small.count }

    public mutating func append(_ v: Int32) {
        if v >= 0 && Int64(v) < Int64(Small.max) {
            small.append(Small(v))
        } else {
            largeRows.append(Int32(small.count))
            largeValues.append(v)
            small.append(Small.max)
        }
    }

    public subscript(row: Int) -> Int32 {
        let b = small[row]
        if b < Small.max { return Int32(b) }
        return largeRows.sortedIndex(of: Int32(row)).map { largeValues[$0] } ?? -1
    }
}
