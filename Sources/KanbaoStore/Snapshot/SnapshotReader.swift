// Reading a snapshot's sections in place: each array a view into the mapped file,
// its length checked against what is left.
import Foundation

extension Snapshot {
    struct Reader {
        let region: MappedRegion
        var position: Int
        let end: Int

        var remaining: Int { end - position }
        var atEnd: Bool { position == end }

        mutating func u64() throws -> UInt64 {
            guard remaining >= 8 else { throw SnapshotError.damaged("a section runs past the end of the file") }
            let v = region.base.loadUnaligned(fromByteOffset: position, as: UInt64.self)
            position += 8
            return UInt64(littleEndian: v)
        }
        mutating func i64() throws -> Int64 { Int64(bitPattern: try u64()) }

        mutating func array<T: BitwiseCopyable>() throws -> ColumnBuffer<T> {
            let n = try u64()
            let stride = Swift.max(MemoryLayout<T>.stride, 1)
            // Checked before use: a damaged count must not reach past the file.
            guard n <= UInt64(remaining / stride) else {
                throw SnapshotError.damaged("an array is longer than the rest of the file")
            }
            guard position % MemoryLayout<T>.alignment == 0 else {
                throw SnapshotError.damaged("a section is misaligned")
            }
            let bytes = Int(n) * stride
            let view = ColumnBuffer<T>(region: region, offset: position, count: Int(n))
            position += bytes
            position += (8 - position % 8) % 8
            guard position <= end else { throw SnapshotError.damaged("a section runs past the end of the file") }
            return view
        }
        mutating func bools() throws -> ColumnBuffer<Bool> {
            let raw: ColumnBuffer<UInt8> = try array()
            guard raw.allSatisfy({ $0 <= 1 }) else { throw SnapshotError.damaged("a yes/no column holds other values") }
            return raw.withUnsafeBufferPointer { b in
                ColumnBuffer<Bool>(
                    region: region, offset: b.baseAddress.map { UnsafeRawPointer($0) - region.base } ?? 0,
                    count: b.count)
            }
        }
        mutating func string() throws -> String {
            let b: ColumnBuffer<UInt8> = try array()
            return b.withUnsafeBufferPointer { String(decoding: $0, as: UTF8.self) }
        }
        mutating func stringArray() throws -> [String] {
            let n = try u64()
            guard n <= UInt64(remaining / 8) else {
                throw SnapshotError.damaged("a list is longer than the rest of the file")
            }
            return try (0..<n).map { _ in try string() }
        }
        mutating func strings() throws -> StringColumn {
            var c = StringColumn()
            c.heap = try array()
            c.offsets = try array()
            guard let last = c.offsets.last, last == c.heap.count, c.offsets.first == 0, isMonotonic(c.offsets) else {
                throw SnapshotError.damaged("text column offsets")
            }
            return c
        }
        mutating func sparse() throws -> SparseNumberColumn {
            var c = SparseNumberColumn()
            c.count = Int(clamping: try u64())
            c.rows = try array()
            c.values = try array()
            guard c.rows.count == c.values.count, isStrictlyAscending(c.rows, below: c.count) else {
                throw SnapshotError.damaged("sparse column rows")
            }
            return c
        }
        mutating func dict() throws -> DictionaryColumn {
            var c = DictionaryColumn()
            c.values = try strings()
            c.codes = try array()
            c.narrowCodes = try array()
            let n = Int32(c.values.count)
            let inRange =
                c.codes.withUnsafeBufferPointer { b in b.allSatisfy { $0 >= -1 && $0 < n } }
                && c.narrowCodes.withUnsafeBufferPointer { b in b.allSatisfy { Int32($0) <= n } }
            guard inRange, c.codes.isEmpty || c.narrowCodes.isEmpty else {
                throw SnapshotError.damaged("dictionary codes out of range")
            }
            return c
        }
        mutating func dictList() throws -> DictionaryListColumn {
            var c = DictionaryListColumn()
            c.values = try dict()
            c.offsets = try array()
            guard c.offsets.first == 0, Int(c.offsets.last ?? -1) == c.values.count, isMonotonic(c.offsets) else {
                throw SnapshotError.damaged("list column offsets")
            }
            return c
        }
        mutating func index() throws -> KeywordIndex {
            let rows = Int(try u64())
            let keys: ColumnBuffer<UInt64> = try array()
            let starts: ColumnBuffer<UInt64> = try array()
            let counts: ColumnBuffer<UInt32> = try array()
            let data: ColumnBuffer<UInt8> = try array()
            let kinds: ColumnBuffer<UInt8> = try array()
            guard rows >= 0, rows <= Int(Int32.max), starts.count == keys.count + 1, counts.count == keys.count,
                kinds.count == keys.count, starts.first == 0, Int(starts.last ?? 0) == data.count, isMonotonic(starts),
                isMonotonic(keys)
            else {
                throw SnapshotError.damaged("keyword index")
            }
            // A bitmap or Elias–Fano list has exactly the size its row count implies.
            let bitmapSize = UInt64((rows + 7) / 8)
            for s in 0..<kinds.count where kinds[s] != KeywordIndex.ListKind.varint {
                let size = starts[s + 1] - starts[s]
                switch kinds[s] {
                case KeywordIndex.ListKind.bitmap where size == bitmapSize: continue
                case KeywordIndex.ListKind.eliasFano
                where counts[s] > 0 && size == UInt64(KeywordIndex.eliasFanoSize(count: Int(counts[s]), rows: rows)):
                    continue
                default: throw SnapshotError.damaged("keyword index list \(s)")
                }
            }
            let folded: ColumnBuffer<UInt8> = try array()
            guard folded.isEmpty || folded.count == rows else {
                throw SnapshotError.damaged("keyword index fold kinds")
            }
            return KeywordIndex(
                keys: keys, starts: starts, counts: counts, bytes: data, kinds: kinds, rows: rows, foldKinds: folded)
        }
    }
}
