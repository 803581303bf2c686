import Dispatch
import Foundation

/// Runs `body` for `0..<count` on all cores and returns the results in index order.
public func parallelMap<T: Sendable>(_ count: Int, _ body: @Sendable (Int) -> T) -> [T] {
    let box = ResultBox<T>(count)
    DispatchQueue.concurrentPerform(iterations: count) { i in
        box.set(i, body(i))
    }
    return box.values.map { $0! }
}

private final class ResultBox<T>: @unchecked Sendable {
    private let lock = NSLock()
    var values: [T?]
    init(_ n: Int) { values = Array(repeating: nil, count: n) }
    func set(_ i: Int, _ value: T) {
        lock.lock()
        values[i] = value
        lock.unlock()
    }
}

/// An unsafe buffer that may cross threads: the caller guarantees the memory outlives the
/// work and is only read.
public struct SharedBytes: @unchecked Sendable {
    public let buffer: UnsafeBufferPointer<UInt8>
    public init(_ buffer: UnsafeBufferPointer<UInt8>) { self.buffer = buffer }
}

/// Runs `a` and `b` at the same time and returns both results.
public func concurrently<A: Sendable, B: Sendable>(_ a: @Sendable () -> A, _ b: @Sendable () -> B) -> (A, B) {
    let first = ResultBox<A>(1), second = ResultBox<B>(1)
    DispatchQueue.concurrentPerform(iterations: 2) { i in
        if i == 0 { first.set(0, a()) } else { second.set(0, b()) }
    }
    return (first.values[0]!, second.values[0]!)
}
