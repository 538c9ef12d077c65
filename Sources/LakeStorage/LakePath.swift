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

    /// Why `text` is not a lake path, or nil when it is one.
    package static func problem(in text: String) -> String? {
        if text.isEmpty { return nil }
        if text.hasPrefix("/") { return "an absolute path" }
        if text.utf8.contains(0) { return "a NUL byte" }
        if text.utf8.count > 4096 { return "longer than 4096 bytes" }
        for part in text.split(separator: "/", omittingEmptySubsequences: false) {
            if part.isEmpty { return "an empty component" }
            if part == ".." { return "a \"..\" component" }
            if part == "." { return "a \".\" component" }
            if part.utf8.count > 255 { return "a component longer than 255 bytes" }
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
        guard let slash = value.lastIndex(of: "/") else { return value }
        return String(value[value.index(after: slash)...])
    }

    /// The parent, or nil for the root.
    package var parent: LakePath? {
        if value.isEmpty { return nil }
        guard let slash = value.lastIndex(of: "/") else { return .root }
        return LakePath(unchecked: String(value[..<slash]))
    }

    package var components: [Substring] { value.split(separator: "/") }

    /// True when `self` is `other` or below it.
    package func isWithin(_ other: LakePath) -> Bool {
        other.value.isEmpty || value == other.value || value.hasPrefix(other.value + "/")
    }

    /// `self` relative to `base` (`""` when equal), or nil when `self` is not within `base`.
    package func relative(to base: LakePath) -> String? {
        guard isWithin(base) else { return nil }
        if base.value.isEmpty { return value }
        return value == base.value ? "" : String(value.dropFirst(base.value.count + 1))
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
