// The one parallel helper of the project: an order-preserving map over all cores, and
// the wrapper that lets parallel tasks share memory each of them touches only in its own
// part (a slot of results, a builder, a block of a checksum).
import Foundation

/// A value shared by tasks that each read or write only their own part of it: the
/// compiler cannot see that, so the wrapper says it.
public struct SharedParts<T>: @unchecked Sendable {
    public let value: T
    public init(_ value: T) { self.value = value }
}

public enum Parallel {
    /// `f` over `items` on all cores, the results in the items' order.
    public static func map<T: Sendable, R: Sendable>(_ items: [T], _ f: @Sendable (T) -> R) -> [R] {
        map(count: items.count) { f(items[$0]) }
    }

    /// `f` of 0..<count on all cores, the results in order.
    public static func map<R: Sendable>(count: Int, _ f: @Sendable (Int) -> R) -> [R] {
        let results = UnsafeMutableBufferPointer<R?>.allocate(capacity: count)
        results.initialize(repeating: nil)
        defer {
            _ = results.deinitialize()
            results.deallocate()
        }
        let slots = SharedParts(results)
        DispatchQueue.concurrentPerform(iterations: count) { i in slots.value[i] = f(i) }
        return results.map { $0! }
    }
}
