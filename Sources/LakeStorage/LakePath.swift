/// A path inside the lake, relative to its root, checked when it is made: no absolute path, no `..`
/// or `.` component, no empty component, no NUL. Every place the tool touches in a lake is named by
/// one, so a path read from a saved plan or a `_metadata.json` cannot name anything outside it.
package struct LakePath: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// `a/b/c`; empty for the lake's root.
    package let value: String

    /// The lake's root.
    package static let root = LakePath(unchecked: "")

    /// Checks `text` (untrusted: a plan, a metadata file, a listing).
    package init(_ text: String) throws(LakePathError) {
        if let problem = Self.problem(in: text) { throw LakePathError(path: text, reason: problem) }
        value = text
    }

    private init(unchecked: String) { value = unchecked }

    /// Why `text` is not a lake path, or nil when it is one. One pass over the bytes: listings check
    /// every path they return.
    package static func problem(in text: String) -> String? {
        var utf8 = text.utf8
        if let fast = utf8.withContiguousStorageIfAvailable({ problem(bytes: UnsafeRawBufferPointer($0)) }) { return fast }
        var copy = text
        copy.makeContiguousUTF8()
        utf8 = copy.utf8
        return utf8.withContiguousStorageIfAvailable { problem(bytes: UnsafeRawBufferPointer($0)) } ?? "not UTF-8"
    }

    static func problem(bytes: UnsafeRawBufferPointer) -> String? {
        let n = bytes.count
        if n == 0 { return nil }
        if bytes[0] == 0x2F { return "an absolute path" }
        if n > 4096 { return "longer than 4096 bytes" }
        var start = 0
        var i = 0
        while i <= n {
            if i == n || bytes[i] == 0x2F {
                let length = i - start
                if length == 0 { return "an empty component" }
                if length == 2 && bytes[start] == 0x2E && bytes[start + 1] == 0x2E { return "a \"..\" component" }
                if length == 1 && bytes[start] == 0x2E { return "a \".\" component" }
                if length > 255 { return "a component longer than 255 bytes" }
                start = i + 1
            } else if bytes[i] == 0 {
                return "a NUL byte"
            }
            i += 1
        }
        return nil
    }

    /// `self/component`; `component` may hold several components (`year=2025/month=01`) and is
    /// checked like any path, so a bad one traps: callers build it from validated names only.
    package func appending(_ component: String) -> LakePath {
        precondition(Self.problem(in: component) == nil && !component.isEmpty, "not a lake path component: \(component)")
        return LakePath(unchecked: value.isEmpty ? component : value + "/" + component)
    }

    /// `self/relative` for an untrusted relative path.
    package func appending(checked relative: String) throws(LakePathError) -> LakePath {
        let tail = try LakePath(relative)
        return tail.value.isEmpty ? self : LakePath(unchecked: value.isEmpty ? tail.value : value + "/" + tail.value)
    }

    package var isRoot: Bool { value.isEmpty }

    /// The last component (empty for the root).
    package var name: String {
        guard let slash = value.utf8.lastIndex(of: 0x2F) else { return value }
        return String(value[value.utf8.index(after: slash)...])
    }

    /// The parent, or nil for the root.
    package var parent: LakePath? {
        if value.isEmpty { return nil }
        guard let slash = value.utf8.lastIndex(of: 0x2F) else { return .root }
        return LakePath(unchecked: String(value[..<slash]))
    }

    package var components: [Substring] { value.split(separator: "/") }

    /// True when `self` is `other` or below it.
    package func isWithin(_ other: LakePath) -> Bool {
        if other.value.isEmpty || value == other.value { return true }
        let a = value.utf8, b = other.value.utf8
        guard a.count > b.count, a.starts(with: b) else { return false }
        return a[a.index(a.startIndex, offsetBy: b.count)] == 0x2F
    }

    /// `self` relative to `base` (`""` when equal), or nil when `self` is not within `base`.
    package func relative(to base: LakePath) -> String? {
        guard isWithin(base) else { return nil }
        if base.value.isEmpty { return value }
        return value == base.value ? "" : String(value[value.utf8.index(value.startIndex, offsetBy: base.value.utf8.count + 1)...])
    }

    package var description: String { value }

    package static func < (a: LakePath, b: LakePath) -> Bool { a.value < b.value }
}

/// A path that is not a lake path: named, with the reason.
package struct LakePathError: Error, CustomStringConvertible, Sendable, Equatable {
    package var path: String
    package var reason: String
    package var description: String { "\"\(path)\" is not a path inside the lake (\(reason))" }
}
