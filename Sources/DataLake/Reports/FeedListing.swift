/// `feeds list`: one row per feed known to the desired state or the registry.
package struct FeedListing {
    /// One row of the listing, as display text.
    package struct Row: Sendable, Equatable {
        package var name, type, source, desired, registered, file: String
    }

    package var desired: DesiredState
    package var registry: Registry

    package init(desired: DesiredState, registry: Registry) {
        self.desired = desired
        self.registry = registry
    }

    package var rows: [Row] {
        let names = Set(desired.feeds.map(\.spec.name)).union(registry.feeds.keys).sorted()
        return names.map { name in
            let want = desired.feed(named: name)
            let have = registry.feeds[name]
            let spec = want?.spec ?? have!.record.spec
            let desiredState = want.map { $0.spec.archived ? "archived" : ($0.spec.enabled ? "enabled" : "disabled") } ?? "(no file)"
            let registered = have.map { $0.state == .archived ? "archived" : ($0.record.spec.enabled ? "enabled" : "disabled") } ?? "(not yet)"
            return Row(name: name, type: spec.type.rawValue, source: spec.source, desired: desiredState,
                       registered: registered, file: want?.location.file ?? "-")
        }
    }
}
