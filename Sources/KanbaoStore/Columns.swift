// Column building blocks, in the manner of Arrow: values live in flat arrays and one
// UTF-8 heap per text column; nothing here allocates an object per row.

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

    public subscript(row: Int) -> String {
        let start = offsets[row], end = offsets[row + 1]
        return heap.withUnsafeBufferPointer { buf in
            String(decoding: UnsafeBufferPointer(rebasing: buf[start..<end]), as: UTF8.self)
        }
    }

    /// The UTF-8 bytes of one row without copying them into a String.
    public func withBytes<R>(_ row: Int, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        let start = offsets[row], end = offsets[row + 1]
        return heap.withUnsafeBufferPointer { body(UnsafeBufferPointer(rebasing: $0[start..<end])) }
    }

    public func byteCount(_ row: Int) -> Int { offsets[row + 1] - offsets[row] }
}

/// Categorical column: each row holds a small integer code into `dictionary`.
/// Code -1 is null.
public struct DictionaryColumn: Sendable {
    public internal(set) var codes = ColumnBuffer<Int32>()
    public internal(set) var dictionary: [String] = []
    var lookup: [String: Int32] = [:]

    public init() {}

    public var count: Int { codes.count }

    public mutating func code(for value: String) -> Int32 {
        if let c = lookup[value] { return c }
        let c = Int32(dictionary.count)
        dictionary.append(value)
        lookup[value] = c
        return c
    }

    public mutating func append(_ value: String?) {
        codes.append(value.map { code(for: $0) } ?? -1)
    }

    public func existingCode(for value: String) -> Int32? { lookup[value] }

    public subscript(row: Int) -> String? {
        let c = codes[row]
        return c < 0 ? nil : dictionary[Int(c)]
    }
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

    public init() {}

    public var count: Int { hasLines.count }

    public mutating func append(lines: [String], title: String) {
        text.append(lines.isEmpty ? title : lines.joined(separator: "\n"))
        hasLines.append(!lines.isEmpty)
    }

    public subscript(row: Int) -> [String] {
        hasLines[row] ? text[row].split(separator: "\n", omittingEmptySubsequences: false).map(String.init) : []
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
        var lo = 0, hi = rows.count
        let r = Int32(row)
        while lo < hi {
            let mid = (lo + hi) >> 1
            if rows[mid] < r { lo = mid + 1 } else { hi = mid }
        }
        return lo < rows.count && rows[lo] == r ? values[lo] : .nan
    }
}
