internal import CYAML

/// Reads YAML (and JSON, which is YAML) with libyaml into `YAMLNode` documents.
///
/// Limits protect `plan` in CI from hostile pull requests: a byte size limit per file, a cap on the
/// number of aliases, and a cap on the size of the tree once aliases are expanded (an "alias bomb" of
/// nested anchors would otherwise grow exponentially).
package struct YAMLParser {
    package static let defaultMaxBytes = 1 << 20
    package var maxBytes = defaultMaxBytes
    package var maxAliases = 100
    package var maxExpandedNodes = 100_000
    package var maxDepth = 64

    package init() {}

    /// Parses every document of `bytes`; `file` is the name used in locations and errors.
    package func parse(_ bytes: [UInt8], file: String) throws(Diagnostic) -> [YAMLNode] {
        if bytes.count > maxBytes {
            throw Diagnostic("file is \(bytes.count) bytes, over the limit of \(maxBytes) bytes", file: file)
        }
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else {
            throw Diagnostic("libyaml could not initialise a parser", file: file)
        }
        defer { yaml_parser_delete(&parser) }
        return try bytes.withUnsafeBufferPointer { buffer throws(Diagnostic) -> [YAMLNode] in
            yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
            var builder = TreeBuilder(file: file, limits: self)
            while true {
                var event = yaml_event_t()
                guard yaml_parser_parse(&parser, &event) == 1 else {
                    let mark = parser.problem_mark
                    let problem = parser.problem.map { String(cString: $0) } ?? "invalid YAML"
                    let context = parser.context.map { " " + String(cString: $0) } ?? ""
                    throw Diagnostic("YAML syntax error: \(problem)\(context)", file: file,
                                     line: Int(mark.line) + 1, column: Int(mark.column) + 1)
                }
                defer { yaml_event_delete(&event) }
                if event.type == YAML_STREAM_END_EVENT { break }
                try builder.handle(event)
            }
            return builder.documents
        }
    }
}

/// Turns the libyaml event stream into node trees, resolving aliases under the parser's limits.
private struct TreeBuilder {
    /// An open sequence or mapping; children are kept apart until it closes so appends stay O(1).
    struct Frame {
        var isMapping: Bool
        var location: SourceLocation
        var anchor: String?
        var items: [YAMLNode] = []
        var pairs: [(key: YAMLNode, value: YAMLNode)] = []
        var pendingKey: YAMLNode?
        var size = 1
    }

    let file: String
    let limits: YAMLParser
    var documents: [YAMLNode] = []
    var stack: [Frame] = []
    var anchors: [String: (node: YAMLNode, size: Int)] = [:]
    var aliasCount = 0
    var expandedNodes = 0

    init(file: String, limits: YAMLParser) {
        self.file = file
        self.limits = limits
    }

    func location(_ mark: yaml_mark_t) -> SourceLocation {
        SourceLocation(file: file, line: Int(mark.line) + 1, column: Int(mark.column) + 1)
    }

    mutating func handle(_ event: yaml_event_t) throws(Diagnostic) {
        let here = location(event.start_mark)
        switch event.type {
        case YAML_SCALAR_EVENT:
            let scalar = event.data.scalar
            let text = String(decoding: UnsafeBufferPointer(start: scalar.value, count: scalar.length), as: UTF8.self)
            let quoted = scalar.style == YAML_SINGLE_QUOTED_SCALAR_STYLE || scalar.style == YAML_DOUBLE_QUOTED_SCALAR_STYLE
                || scalar.style == YAML_LITERAL_SCALAR_STYLE || scalar.style == YAML_FOLDED_SCALAR_STYLE
            try count(1, at: here)
            try add(YAMLNode(.scalar(text, quoted: quoted), at: here), size: 1,
                    anchor: scalar.anchor.map { String(cString: $0) })
        case YAML_SEQUENCE_START_EVENT, YAML_MAPPING_START_EVENT:
            if stack.count >= limits.maxDepth {
                throw Diagnostic("YAML nesting deeper than \(limits.maxDepth) levels", at: here)
            }
            try count(1, at: here)
            let isMapping = event.type == YAML_MAPPING_START_EVENT
            let anchor = isMapping ? event.data.mapping_start.anchor : event.data.sequence_start.anchor
            stack.append(Frame(isMapping: isMapping, location: here, anchor: anchor.map { String(cString: $0) }))
        case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
            let frame = stack.removeLast()
            let node = YAMLNode(frame.isMapping ? .mapping(frame.pairs) : .sequence(frame.items), at: frame.location)
            try add(node, size: frame.size, anchor: frame.anchor)
        case YAML_ALIAS_EVENT:
            let name = String(cString: event.data.alias.anchor)
            aliasCount += 1
            if aliasCount > limits.maxAliases {
                throw Diagnostic("too many YAML aliases (limit \(limits.maxAliases))", at: here)
            }
            guard let target = anchors[name] else {
                throw Diagnostic("unknown YAML anchor \"\(name)\"", at: here)
            }
            // Each use of an anchor counts its whole subtree: this is what stops an alias bomb.
            try count(target.size, at: here)
            try add(YAMLNode(target.node.kind, at: here), size: target.size, anchor: nil)
        default:
            break // stream/document start and end carry nothing we keep
        }
    }

    mutating func count(_ nodes: Int, at here: SourceLocation) throws(Diagnostic) {
        expandedNodes += nodes
        if expandedNodes > limits.maxExpandedNodes {
            throw Diagnostic("YAML document expands to more than \(limits.maxExpandedNodes) nodes (aliases included)", at: here)
        }
    }

    mutating func add(_ node: YAMLNode, size: Int, anchor: String?) throws(Diagnostic) {
        if let anchor { anchors[anchor] = (node, size) }
        guard !stack.isEmpty else {
            documents.append(node)
            return
        }
        let top = stack.count - 1
        stack[top].size += size
        if !stack[top].isMapping {
            stack[top].items.append(node)
        } else if let key = stack[top].pendingKey {
            stack[top].pairs.append((key, node))
            stack[top].pendingKey = nil
        } else {
            stack[top].pendingKey = node
        }
    }
}
