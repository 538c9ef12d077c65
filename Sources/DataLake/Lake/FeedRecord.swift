/// A feed as the registry holds it (`feeds/active|archived/<feed>.json`, the seed's JSON format):
/// the applied spec plus what the reconciler needs.
package struct FeedRecord: Sendable, Equatable {
    package var spec: FeedSpec
    /// SHA-256 of the spec's canonical JSON when it was written; a mismatch means a hand edit.
    package var specHash: String?
    package var updatedAt: String?
    package var archivedAt: String?

    package init(spec: FeedSpec, specHash: String? = nil, updatedAt: String? = nil, archivedAt: String? = nil) {
        self.spec = spec
        self.specHash = specHash
        self.updatedAt = updatedAt
        self.archivedAt = archivedAt
    }

    package static let bookkeepingKeys = ["spec_hash", "updated_at", "archived_at"]
}
