/// A reference kept as a trivial value: per-row and per-value paths reach plan nodes, column writers
/// and the open file's writer through these without reference counting. Something else must keep the
/// object alive.
package struct Unretained<Object: AnyObject> {
    private let reference: Unmanaged<Object>

    package init(_ object: Object) {
        reference = .passUnretained(object)
    }

    /// Runs `body` with the object, neither retained nor released around the call.
    @inline(__always)
    package func with<R, E: Error>(_ body: (Object) throws(E) -> R) throws(E) -> R {
        let result: Result<R, E> = reference._withUnsafeGuaranteedRef { object in
            Result { () throws(E) -> R in try body(object) }
        }
        return try result.get()
    }

    /// `with` for a body that throws any error: no `Result` around it, whose generic metadata a
    /// per-row call looked up every time (a twentieth of a flat export's parsing thread).
    @inline(__always)
    package func call<R>(_ body: (Object) throws -> R) rethrows -> R {
        try reference._withUnsafeGuaranteedRef(body)
    }
}
