#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Decodes one HTTP/1.1 response as its bytes arrive: the status line and headers, then the body by
/// its framing (chunked, `Content-Length`, or until the connection closes). Used by the socket path
/// of streamed queries, where the body is all that matters and must cost next to nothing per chunk.
struct PlainHTTPResponseDecoder {
    /// The response does not follow HTTP/1.1 framing.
    struct Malformed: Error, Equatable, CustomStringConvertible {
        var description: String
    }

    private enum State {
        case head
        case chunkSize
        case chunkData(remaining: Int)
        case chunkEnd
        case trailers
        case fixed(remaining: Int)
        case untilClose
        case done
    }

    /// A head longer than this is not a ksqlDB answer.
    static let maxHeadBytes = 64 << 10
    /// Chunk size lines (with extensions) and trailer lines longer than this are malformed.
    static let maxLineBytes = 4096

    private var state = State.head
    /// The final (non-1xx) status, once its head is decoded.
    private(set) var status: Int?

    /// The body is complete.
    var isComplete: Bool {
        if case .done = state { return true }
        return false
    }

    /// The body ends when the connection closes (no length, not chunked): a close is its normal end.
    var endsAtClose: Bool {
        if case .untilClose = state { return true }
        return false
    }

    /// Decodes what it can of `input`, appending body bytes to `body`; returns how many bytes it used.
    /// An incomplete head or chunk-size line is left unused: call again with it and more bytes.
    mutating func decode(_ input: UnsafeRawBufferPointer, body: inout [UInt8]) throws(Malformed) -> Int {
        guard let base = input.baseAddress else { return 0 }
        let count = input.count
        var pos = 0
        /// The end of the CRLF-terminated line at `pos`, nil while incomplete.
        func lineEnd(_ what: String) throws(Malformed) -> Int? {
            if let end = Self.find(blankLine: false, base, from: pos, to: count) { return end }
            if count - pos > Self.maxLineBytes { throw Malformed(description: "an HTTP \(what) line over 4 KiB") }
            return nil
        }
        /// Moves up to `remaining` body bytes to `body`; returns how many are still to come.
        func copyBody(_ remaining: Int) -> Int {
            let n = min(remaining, count - pos)
            body.append(contentsOf: UnsafeRawBufferPointer(start: base + pos, count: n))
            pos += n
            return remaining - n
        }
        while pos < count {
            switch state {
            case .done:
                return pos
            case .head:
                guard let end = Self.find(blankLine: true, base, from: pos, to: count) else {
                    if count - pos > Self.maxHeadBytes { throw Malformed(description: "an HTTP response head over 64 KiB") }
                    return pos
                }
                try parseHead(UnsafeRawBufferPointer(start: base + pos, count: end - pos))
                pos = end + 4
            case .chunkSize:
                guard let end = try lineEnd("chunk size") else { return pos }
                let size = try Self.chunkSize(UnsafeRawBufferPointer(start: base + pos, count: end - pos))
                state = size == 0 ? .trailers : .chunkData(remaining: size)
                pos = end + 2
            case .chunkData(let remaining):
                let left = copyBody(remaining)
                state = left == 0 ? .chunkEnd : .chunkData(remaining: left)
            case .chunkEnd:
                guard count - pos >= 2 else { return pos }
                guard base.load(fromByteOffset: pos, as: UInt8.self) == 0x0D,
                      base.load(fromByteOffset: pos + 1, as: UInt8.self) == 0x0A
                else { throw Malformed(description: "an HTTP chunk not followed by CRLF") }
                pos += 2
                state = .chunkSize
            case .trailers:
                guard let end = try lineEnd("trailer") else { return pos }
                if end == pos { state = .done }
                pos = end + 2
            case .fixed(let remaining):
                let left = copyBody(remaining)
                state = left == 0 ? .done : .fixed(remaining: left)
            case .untilClose:
                _ = copyBody(count - pos)
            }
        }
        return pos
    }

    private mutating func parseHead(_ head: UnsafeRawBufferPointer) throws(Malformed) {
        let text = String(decoding: head, as: UTF8.self)
        var lines = text.split(separator: "\r\n", omittingEmptySubsequences: false).makeIterator()
        let statusLine = lines.next() ?? ""
        let parts = statusLine.split(separator: " ", maxSplits: 2)
        guard parts.count >= 2, parts[0].hasPrefix("HTTP/1."), parts[1].count == 3, let code = Int(parts[1]) else {
            throw Malformed(description: "not an HTTP/1.1 response (\(statusLine.prefix(80)))")
        }
        var chunked = false
        var length: Int?
        while let line = lines.next() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = line[..<colon].lowercased()
            let value = line[line.index(after: colon)...].trimmedSpaces()
            if name == "transfer-encoding" {
                chunked = value.lowercased().split(separator: ",").last.map { $0.trimmedSpaces() == "chunked" } ?? false
            } else if name == "content-length" {
                guard let n = Int(value), n >= 0 else { throw Malformed(description: "an invalid Content-Length (\(value.prefix(40)))") }
                length = n
            }
        }
        // 1xx answers (100 Continue) precede the real one.
        if (100..<200).contains(code) { return }
        status = code
        if code == 204 || code == 304 {
            state = .done
        } else if chunked {
            state = .chunkSize
        } else if let length {
            state = length == 0 ? .done : .fixed(remaining: length)
        } else {
            state = .untilClose
        }
    }

    private static func chunkSize(_ line: UnsafeRawBufferPointer) throws(Malformed) -> Int {
        var size = 0
        var digits = 0
        for byte in line {
            let digit: Int
            switch byte {
            case 0x30...0x39: digit = Int(byte - 0x30)
            case 0x41...0x46: digit = Int(byte - 0x37)
            case 0x61...0x66: digit = Int(byte - 0x57)
            case 0x3B, 0x20, 0x09:
                // Chunk extensions (`;name=value`) and padding end the size.
                guard digits > 0 else { throw Malformed(description: "an HTTP chunk without a size") }
                return size
            default:
                throw Malformed(description: "an invalid HTTP chunk size")
            }
            digits += 1
            guard digits <= 15 else { throw Malformed(description: "an HTTP chunk size too large") }
            size = size << 4 | digit
        }
        guard digits > 0 else { throw Malformed(description: "an HTTP chunk without a size") }
        return size
    }

    /// The offset of the first CRLF (or CRLFCRLF when `blankLine`) in `base[from..<to]`.
    private static func find(blankLine: Bool, _ base: UnsafeRawPointer, from: Int, to: Int) -> Int? {
        let width = blankLine ? 4 : 2
        var at = from
        while to - at >= width, let hit = memchr(base + at, 0x0D, to - at) {
            let i = UnsafeRawPointer(hit) - base
            guard to - i >= width else { return nil }
            if base.load(fromByteOffset: i + 1, as: UInt8.self) == 0x0A
                && (!blankLine || (base.load(fromByteOffset: i + 2, as: UInt8.self) == 0x0D
                                   && base.load(fromByteOffset: i + 3, as: UInt8.self) == 0x0A)) {
                return i
            }
            at = i + 1
        }
        return nil
    }
}

private extension Substring {
    func trimmedSpaces() -> String {
        var s = self
        while let c = s.first, c == " " || c == "\t" { s.removeFirst() }
        while let c = s.last, c == " " || c == "\t" { s.removeLast() }
        return String(s)
    }
}
