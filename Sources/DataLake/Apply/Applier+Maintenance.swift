extension Applier {
    func metadataPath(_ spec: FeedSpec) -> String {
        layout.dataDirectory(spec.name, type: spec.type) + "/" + FeedMetadata.fileName
    }

    func loadMetadata(_ spec: FeedSpec) throws -> FeedMetadata? {
        let path = metadataPath(spec)
        return FileIO.exists(path) ? try FeedMetadata.load(path) : nil
    }

    /// The commit point of every data change: the metadata, written durably and atomically.
    func writeMetadata(_ metadata: FeedMetadata, for spec: FeedSpec) throws {
        try FileIO.writeAtomically(metadataPath(spec), metadata.json.rendered(), mode: spec.access.fileMode)
    }

    /// Finishes committed renames (roll forward), then deletes temporaries nothing commits.
    func cleanup(_ action: PlanAction) throws {
        let spec = action.spec
        let root = layout.dataDirectory(spec.name, type: spec.type)
        if var metadata = try loadMetadata(spec), !metadata.pending.isEmpty {
            for final in metadata.pending {
                let temp = root + "/" + MaintenancePlanner.temporaryName(of: final)
                if FileIO.exists(temp) { try FileIO.rename(temp, to: root + "/" + final) }
            }
            metadata.pending = []
            try writeMetadata(metadata, for: spec)
        }
        let pending = Set(try loadMetadata(spec)?.pending ?? [])
        for path in action.paths {
            let relative = String(path.path.dropFirst(layout.relativeDataDirectory(spec).count + 1))
            guard !pending.contains(MaintenancePlanner.finalName(ofTemporary: relative)) else { continue }
            if relative.hasPrefix("_overlap_"), relative == (try loadMetadata(spec))?.overlapFile { continue }
            try FileIO.remove(layout.path(path.path))
        }
    }

    /// Drops table versions from the metadata first (readers follow it), then deletes their directories.
    func prune(_ action: PlanAction) throws {
        let spec = action.spec
        let prefix = layout.relativeDataDirectory(spec) + "/"
        let doomed = Set(action.paths.map { String($0.path.dropFirst(prefix.count)) })
        if var metadata = try loadMetadata(spec) {
            metadata.versions.removeAll { doomed.contains($0.file.path.asPath.directory) }
            metadata.files.removeAll { doomed.contains($0.path.asPath.directory) }
            try writeMetadata(metadata, for: spec)
        }
        for path in action.paths { try FileIO.removeTree(layout.path(path.path)) }
    }

    /// Drops expired day partitions from the metadata first, then deletes them and empty month/year directories.
    func expire(_ action: PlanAction) throws {
        let spec = action.spec
        let root = layout.dataDirectory(spec.name, type: spec.type)
        let prefix = layout.relativeDataDirectory(spec) + "/"
        let doomed = Set(action.paths.map { String($0.path.dropFirst(prefix.count)) })
        if var metadata = try loadMetadata(spec) {
            metadata.files.removeAll { doomed.contains($0.path.asPath.directory) }
            try writeMetadata(metadata, for: spec)
        }
        for path in action.paths {
            let full = layout.path(path.path)
            try FileIO.removeTree(full)
            FileIO.removeEmptyParents(of: full, upTo: root)
        }
    }

    func chmod(_ action: PlanAction) throws {
        for path in action.paths {
            let full = layout.path(path.path)
            guard FileIO.exists(full) else { continue } // pruned or expired earlier in this apply
            let mode = FileIO.isDirectory(full) ? action.spec.access.directoryMode : action.spec.access.fileMode
            try FileIO.setMode(full, mode)
        }
    }
}

extension LakeLayout {
    /// `streams/<feed>` or `tables/<feed>`, relative to the root (as plan paths are).
    package func relativeDataDirectory(_ spec: FeedSpec) -> String {
        (spec.type == .stream ? "streams/" : "tables/") + spec.name
    }
}
