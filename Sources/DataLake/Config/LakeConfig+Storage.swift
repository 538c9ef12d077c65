import Foundation
import LakeStorage
import S3Storage

extension LakeConfig {
    /// `s3` for `s3://bucket/prefix`, nil for a local path.
    static func scheme(of root: String) -> String? {
        guard let range = root.range(of: "://") else { return nil }
        let scheme = root[..<range.lowerBound]
        guard !scheme.isEmpty, scheme.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "+" || $0 == "-" || $0 == "." }) else { return nil }
        return scheme.lowercased()
    }

    /// (bucket, prefix) of an `s3://BUCKET/PREFIX` root.
    static func s3Location(_ root: String) -> (bucket: String, prefix: String)? {
        guard root.lowercased().hasPrefix("s3://") else { return nil }
        let rest = root.dropFirst(5)
        let bucket = rest.prefix { $0 != "/" }
        guard !bucket.isEmpty, bucket.allSatisfy({ $0.isLowercase || $0.isNumber || $0 == "-" || $0 == "." }) else { return nil }
        let prefix = String(rest.dropFirst(bucket.count)).trimmingCharacters(in: CharacterSet(charactersIn: "/"))
        if !prefix.isEmpty, LakePath.problem(in: prefix) != nil { return nil }
        return (String(bucket), prefix)
    }

    /// How the lake tiers old partitions: by S3 storage class, to `tier_root`, or not at all.
    package var tiering: Tiering {
        if Self.scheme(of: root) != nil { return .storageClasses }
        return tierRoot == nil ? .none : .secondRoot
    }

    /// Why `spec`'s tiering keys do not fit this lake, with the key to point at; nil when they do.
    package func tieringProblem(_ spec: FeedSpec) -> (key: String, message: String)? {
        guard spec.tierAfterDays != nil else { return nil }
        switch tiering {
        case .none:
            return ("tier_after_days", "\"tier_after_days\" on a local lake needs \"tier_root\" in \(path): the directory old partitions move to")
        case .secondRoot where spec.tableFormat == .delta:
            return ("tier_after_days", "a Delta table keeps its files under its own directory, where Delta readers look; tier_root would move them out: "
                    + "set table_format: hive for this feed, or tier by storage class on S3")
        case .secondRoot where spec.tierStorageClass != nil:
            return ("tier_storage_class", "\"tier_storage_class\" applies to s3:// lakes; a local lake moves old partitions to tier_root")
        default:
            return nil
        }
    }

    /// The storage the lake's root names: a local directory, or a bucket and prefix on S3.
    package func openStorage() throws(DiagnosticsError) -> any LakeStorage {
        guard let scheme = Self.scheme(of: root) else {
            if let tierRoot { return TieredLocalStorage(root: root, tierRoot: tierRoot) }
            return LocalLakeStorage(root: root)
        }
        guard scheme == "s3", let (bucket, prefix) = Self.s3Location(root) else {
            throw DiagnosticsError([Diagnostic("root \"\(root)\": \(scheme):// lakes are not supported", file: path)])
        }
        do {
            let configuration = try S3Configuration.fromEnvironment(bucket: bucket, region: s3.region, endpoint: s3.endpoint, pathStyle: s3.pathStyle,
                                                                    accessKeyEnv: s3.accessKeyEnv, secretKeyEnv: s3.secretKeyEnv)
            return S3LakeStorage(client: S3Client(configuration: configuration), prefix: prefix)
        } catch {
            throw DiagnosticsError([Diagnostic("\(root): \(error.description)", file: path)])
        }
    }
}
