import LakeStorage

extension Plan {
    /// A plan lists every path it deletes; a year of daily partitions of many feeds stays far below.
    static let maxBytes = 256 << 20

    /// Reads a plan saved with `plan --out FILE` (its JSON form). Errors name the file position.
    package static func load(_ path: String) throws(DiagnosticsError) -> Plan {
        let read: [UInt8]?
        do { read = try LocalFiles.read(path, limit: maxBytes) } catch {
            throw DiagnosticsError([Diagnostic("cannot read the plan: \(error.reason)", file: path)])
        }
        guard let bytes = read else { throw DiagnosticsError([Diagnostic("cannot read the plan: No such file or directory", file: path)]) }
        var parser = YAMLParser()
        parser.maxBytes = maxBytes
        parser.maxExpandedNodes = 1 << 26
        let documents: [YAMLNode]
        do { documents = try parser.parse(bytes, file: path) } catch { throw DiagnosticsError([error]) }
        guard let root = documents.first else { throw DiagnosticsError([Diagnostic("the plan file is empty", file: path)]) }
        let decoder = NodeDecoder()
        guard let m = decoder.mapping(root, what: "a plan") else { throw DiagnosticsError(decoder.diagnostics) }
        let version = m.required("format_version", what: "plan").flatMap { decoder.int($0, what: "\"format_version\"") }
        if let version, version != formatVersion, let node = m.value("format_version") {
            decoder.error("plan format_version \(version) is not supported (this datalake reads \(formatVersion))", at: node)
        }
        let createdAt = m.string("created_at") ?? ""
        let config = m.required("config_digest", what: "plan").flatMap { decoder.string($0, what: "\"config_digest\"") }
        let registry = m.required("registry_digest", what: "plan").flatMap { decoder.string($0, what: "\"registry_digest\"") }
        var actions: [PlanAction] = []
        if let list = m.required("actions", what: "plan") {
            if case let .sequence(items) = list.kind {
                for item in items {
                    if let a = decodeAction(item, decoder: decoder) { actions.append(a) }
                }
            } else {
                decoder.error("\"actions\" must be a list", at: list)
            }
        }
        if !decoder.diagnostics.isEmpty { throw DiagnosticsError(decoder.diagnostics) }
        return Plan(createdAt: createdAt, configDigest: config ?? "", registryDigest: registry ?? "", actions: actions)
    }

    static func decodeAction(_ node: YAMLNode, decoder: NodeDecoder) -> PlanAction? {
        guard let m = decoder.mapping(node, what: "a plan action") else { return nil }
        guard let kind = m.required("action", what: "plan action").flatMap({
            decoder.choice($0, what: "\"action\"", allowed: PlanActionKind.allCases.map(\.rawValue))
        }).flatMap(PlanActionKind.init(rawValue:)),
            let specNode = m.required("spec", what: "plan action"),
            let spec = FeedSpec.decode(specNode, defaults: LakeConfig.Defaults(), decoder: decoder)
        else { return nil }
        var changes: [FieldChange] = []
        if let list = m.value("changes"), case let .sequence(items) = list.kind {
            for item in items {
                guard let c = decoder.mapping(item, what: "a change") else { continue }
                changes.append(FieldChange(field: c.string("field") ?? "", before: c.string("before") ?? "", after: c.string("after") ?? ""))
            }
        }
        var action = PlanAction(kind: kind, feed: spec.name, feedType: spec.type, changes: changes, spec: spec, reason: m.string("reason"))
        action.paths = decodePaths(m.value("paths"), decoder: decoder)
        action.publish = decodePaths(m.value("publish"), decoder: decoder)
        action.abortUploads = decodePaths(m.value("abort_uploads"), decoder: decoder)
        action.destructive = m.bool("destructive") ?? false
        action.tierTarget = m.string("tier_target")
        if let node = m.value("when") {
            if let text = decoder.choice(node, what: "\"when\"", allowed: ["new_version"]) { action.condition = ActionCondition(rawValue: text) }
        }
        if let w = m.mapping("window") {
            action.window = ExportWindow(from: w.int("from").map(Int64.init), to: Int64(w.int("to") ?? 0), stamp: w.string("stamp") ?? "", day: w.string("day"))
        }
        return action
    }

    static func decodePaths(_ node: YAMLNode?, decoder: NodeDecoder) -> [PlanPath] {
        guard let node, case let .sequence(items) = node.kind else { return [] }
        return items.compactMap { decoder.mapping($0, what: "a path") }.map { PlanPath(path: $0.string("path") ?? "", bytes: $0.int("bytes") ?? 0) }
    }
}
