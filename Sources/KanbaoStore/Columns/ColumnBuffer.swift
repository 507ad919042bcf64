// The one buffer type every column is made of: a pointer, a count and an owner.
//
// While a store is built the memory is the process's own (malloc'd, grown with realloc,
// which for large blocks remaps pages instead of copying them). A store loaded from a
// snapshot instead points straight into the memory-mapped file: nothing is copied and
// the kernel shares the pages with its page cache. Either way readers see the same
// thing — a random-access collection over contiguous, immutable elements — so scans
// do not care where a column came from.
//
// Value semantics are copy-on-write, as with Array: a buffer that is shared (or mapped)
// is copied into owned memory before it is changed.
#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Keeps a column's memory alive: frees what it allocated, or holds the mapped region.
@usableFromInline
final class BufferOwner: @unchecked Sendable {
    /// Memory this owner frees (nil when the bytes belong to `region`).
    var allocation: UnsafeMutableRawPointer?
    @usableFromInline let region: MappedRegion?

    init(allocation: UnsafeMutableRawPointer?) {
        self.allocation = allocation
        region = nil
    }
    init(region: MappedRegion) {
        allocation = nil
        self.region = region
    }
    deinit { free(allocation) }
}

public struct ColumnBuffer<Element: BitwiseCopyable>: RandomAccessCollection, @unchecked Sendable {
    @usableFromInline var owner: BufferOwner
    @usableFromInline var base: UnsafeMutablePointer<Element>?
    public private(set) var count: Int
    @usableFromInline var capacity: Int

    public init() {
        owner = BufferOwner(allocation: nil)
        base = nil
        count = 0
        capacity = 0
    }

    public init(_ elements: some Sequence<Element>) {
        self.init()
        append(contentsOf: elements)
    }

    /// `count` elements of zero bits, from calloc: a large block comes as fresh pages the
    /// kernel has already zeroed, so nothing is written twice.
    public init(zeroedCount count: Int) {
        let bytes = Swift.max(count, 1) * MemoryLayout<Element>.stride
        guard let p = calloc(bytes, 1) else { fatalError("out of memory (\(bytes) bytes)") }
        owner = BufferOwner(allocation: p)
        base = p.bindMemory(to: Element.self, capacity: Swift.max(count, 1))
        self.count = count
        capacity = Swift.max(count, 1)
    }

    /// A read-only view of `count` elements at `offset` bytes into a mapped region.
    /// The caller has checked bounds and alignment.
    init(region: MappedRegion, offset: Int, count: Int) {
        owner = BufferOwner(region: region)
        base =
            count == 0
            ? nil : UnsafeMutablePointer(mutating: (region.base + offset).assumingMemoryBound(to: Element.self))
        self.count = count
        capacity = count
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { count }

    @inlinable
    public subscript(i: Int) -> Element {
        get {
            precondition(i >= 0 && i < count, "column index out of range")
            return base.unsafelyUnwrapped[i]
        }
        set {
            precondition(i >= 0 && i < count, "column index out of range")
            if !isKnownUniquelyReferenced(&owner) || owner.region != nil { makeUniqueOwned(minimumCapacity: count) }
            base.unsafelyUnwrapped[i] = newValue
        }
    }

    @inlinable
    public func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Element>) throws -> R) rethrows -> R {
        try body(UnsafeBufferPointer(start: base, count: count))
    }

    @inlinable
    public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try body(UnsafeRawBufferPointer(UnsafeBufferPointer(start: base, count: count)))
    }

    public func withContiguousStorageIfAvailable<R>(_ body: (UnsafeBufferPointer<Element>) throws -> R) rethrows -> R? {
        try body(UnsafeBufferPointer(start: base, count: count))
    }

    /// Does the memory belong to a mapped snapshot (rather than to this process)?
    public var isMapped: Bool { owner.region != nil }

    // MARK: building

    /// Makes this buffer the only user of memory it owns, with room for `minimumCapacity`.
    @usableFromInline
    mutating func makeUniqueOwned(minimumCapacity: Int) {
        let stride = MemoryLayout<Element>.stride
        if isKnownUniquelyReferenced(&owner) && owner.region == nil {
            guard minimumCapacity > capacity else { return }
            // Doubling while small; past 64 KB, half again: less room left unused in a
            // store's many growing buffers (the index builder's lists), at the cost of
            // a few more reallocations.
            let grown = capacity < 1 << 16 ? capacity * 2 : capacity + capacity / 2
            let newCapacity = Swift.max(minimumCapacity, grown, 16)
            guard let p = realloc(owner.allocation, newCapacity * stride) else {
                fatalError("out of memory (\(newCapacity * stride) bytes)")
            }
            owner.allocation = p
            base = p.bindMemory(to: Element.self, capacity: newCapacity)
            capacity = newCapacity
            return
        }
        let newCapacity = Swift.max(minimumCapacity, count, 1)
        guard let p = malloc(newCapacity * stride) else { fatalError("out of memory (\(newCapacity * stride) bytes)") }
        if let base, count > 0 { p.copyMemory(from: base, byteCount: count * stride) }
        owner = BufferOwner(allocation: p)
        base = p.bindMemory(to: Element.self, capacity: newCapacity)
        capacity = newCapacity
    }

    public mutating func reserveCapacity(_ n: Int) { makeUniqueOwned(minimumCapacity: n) }

    public mutating func append(_ x: Element) {
        if count == capacity || !isKnownUniquelyReferenced(&owner) { makeUniqueOwned(minimumCapacity: count + 1) }
        base.unsafelyUnwrapped[count] = x
        count += 1
    }

    public mutating func append(contentsOf elements: some Sequence<Element>) {
        let copied: Bool? = elements.withContiguousStorageIfAvailable { src in
            guard src.count > 0 else { return true }
            makeUniqueOwned(minimumCapacity: count + src.count)
            (base! + count).update(from: src.baseAddress!, count: src.count)
            count += src.count
            return true
        }
        if copied == nil { for x in elements { append(x) } }
    }

    public mutating func append(repeating x: Element, count n: Int) {
        guard n > 0 else { return }
        makeUniqueOwned(minimumCapacity: count + n)
        (base! + count).initialize(repeating: x, count: n)
        count += n
    }

    /// Writes in place (a shared or mapped buffer is copied first).
    public mutating func withUnsafeMutableBufferPointer<R>(_ body: (UnsafeMutableBufferPointer<Element>) throws -> R)
        rethrows -> R
    {
        makeUniqueOwned(minimumCapacity: count)
        return try body(UnsafeMutableBufferPointer(start: base, count: count))
    }

    /// Gives back capacity beyond `count` (a builder's last doubling can leave a lot).
    public mutating func shrinkToFit() {
        guard capacity > count, isKnownUniquelyReferenced(&owner), owner.region == nil, count > 0 else { return }
        if let p = realloc(owner.allocation, count * MemoryLayout<Element>.stride) {
            owner.allocation = p
            base = p.bindMemory(to: Element.self, capacity: count)
            capacity = count
        }
    }
}

extension ColumnBuffer: ExpressibleByArrayLiteral {
    public init(arrayLiteral elements: Element...) { self.init(elements) }
}

extension ColumnBuffer: Equatable where Element: Equatable {
    public static func == (a: ColumnBuffer, b: ColumnBuffer) -> Bool { a.elementsEqual(b) }
}

/// A read-only memory mapping of a whole file (or, for snapshots decoded from memory,
/// a private copy of the bytes), unmapped when the last column using it goes away.
public final class MappedRegion: @unchecked Sendable {
    public let base: UnsafeRawPointer
    public let size: Int
    private let mapped: Bool

    /// Maps `size` bytes of the open file `fd` read-only.
    init?(fd: Int32, size: Int) {
        guard size > 0 else { return nil }
        let p = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0)
        guard let p, p != MAP_FAILED else { return nil }
        base = UnsafeRawPointer(p)
        self.size = size
        mapped = true
    }

    /// A private, 16-byte-aligned copy of `bytes`.
    init(copying bytes: UnsafeRawBufferPointer) {
        let p = UnsafeMutableRawPointer.allocate(byteCount: Swift.max(bytes.count, 1), alignment: 16)
        if bytes.count > 0 { p.copyMemory(from: bytes.baseAddress!, byteCount: bytes.count) }
        base = UnsafeRawPointer(p)
        size = bytes.count
        mapped = false
    }

    /// Tells the kernel the whole region will be read soon and in order.
    func adviseSequential() {
        guard mapped else { return }
        _ = madvise(UnsafeMutableRawPointer(mutating: base), size, MADV_WILLNEED)
    }

    deinit {
        if mapped {
            munmap(UnsafeMutableRawPointer(mutating: base), size)
        } else {
            UnsafeMutableRawPointer(mutating: base).deallocate()
        }
    }
}

extension ColumnBuffer where Element: Comparable {
    /// Where `x` is among ascending elements (binary search), or nil: dictionary keys,
    /// and the rows of the sparse columns that keep values for a few rows only.
    public func sortedIndex(of x: Element) -> Int? {
        var lo = 0
        var hi = count
        while lo < hi {
            let mid = (lo + hi) >> 1
            if self[mid] < x { lo = mid + 1 } else { hi = mid }
        }
        return lo < count && self[lo] == x ? lo : nil
    }
}
