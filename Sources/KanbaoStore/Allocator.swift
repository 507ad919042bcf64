// The two places Kanbao steers glibc's allocator, both looked up at run time (Swift's
// Glibc module declares neither; other C libraries may lack them, and then nothing
// changes).
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

public enum Allocator {
    /// malloc_trim: hands whole free pages back to the system — after parsing on worker
    /// threads, and while index-builder lists are released during the freeze, so that the
    /// builder and the finished index do not peak together.
    public static func returnFreeMemory() {
        typealias Trim = @convention(c) (Int) -> Int32
        guard let sym = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim") else { return }
        let start = DispatchTime.now().uptimeNanoseconds
        _ = unsafeBitCast(sym, to: Trim.self)(0)
        trimNanoseconds.add(DispatchTime.now().uptimeNanoseconds - start)
    }

    /// Time spent in malloc_trim so far, for KANBAO_TRACE.
    public static let trimNanoseconds = Counter()

    public final class Counter: @unchecked Sendable {
        private var value: UInt64 = 0
        private let lock = NSLock()
        func add(_ v: UInt64) {
            lock.lock()
            value += v
            lock.unlock()
        }
        public var seconds: Double {
            lock.lock()
            defer { lock.unlock() }
            return Double(value) / 1e9
        }
    }

    /// Query results (row-id lists of a few MB) are allocated and freed with every
    /// statement. glibc serves blocks over 128 KB with a fresh mmap and unmaps them on
    /// free, so each statement paid for page faults and zeroed pages again (a third of
    /// the time of `党建 | count` on a million articles). Called once the corpus is
    /// loaded: such blocks are then kept in the heap. Loading keeps the default, under
    /// which large columns grow by remapping rather than copying.
    public static func keepQueryBlocksInHeap() {
        typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
        guard let sym = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else { return }
        let mallopt = unsafeBitCast(sym, to: Mallopt.self)
        let M_TRIM_THRESHOLD: Int32 = -1
        let M_MMAP_THRESHOLD: Int32 = -3
        _ = mallopt(M_MMAP_THRESHOLD, 32 << 20) // glibc refuses more than 32 MB (HEAP_MAX_SIZE / 2)
        _ = mallopt(M_TRIM_THRESHOLD, 256 << 20)
    }
}
