/// The shipped desired state: a starter `lake.yaml` and the seed's 4 streams and 4 tables. `init`
/// writes them where absent; the repository's own `lake.yaml` and `feeds.d/` are these same files.
package enum DefaultConfig {
    package static let lakeYAML = """
        # datalake desired state: the lake, how to reach ksqlDB, how to write Parquet, feed defaults.
        # Feeds live one per file in feeds_dir. Reference: README.md ("Configuration").
        root: data_lake
        feeds_dir: feeds.d
        # Every feed a Delta Lake table: each apply is one atomic commit of <feed>/_delta_log/ (time travel,
        # history); the year=/month=/day= and version=vN layout stays, so plain Parquet readers keep working.
        table_format: delta        # delta | hive

        ksqldb:
          url: http://127.0.0.1:8088
          timeout_seconds: 30
          connect_timeout_seconds: 10
          # Basic auth: name the environment variables that hold the credentials (never the values).
          # auth:
          #   user_env: KSQLDB_USER
          #   password_env: KSQLDB_PASSWORD
          # proxy: http://proxy.internal:3128
          # tls:
          #   ca_file: /etc/ssl/certs/ksqldb-ca.pem
          #   insecure_skip_verify: false

        parquet:
          compression: snappy      # snappy | zstd | none
          row_group_rows: 10000    # the seed's BATCH_SIZE
          file_max_rows: 1000000

        defaults:
          streams:
            retention_days: 365
            access: internal
            timestamp_column: ROWTIME
            lateness_minutes: 60     # late events up to this are still exported exactly once
          tables:
            versions_to_keep: 7
            access: internal

        """

    /// (file name, contents) of the seed's feeds, as shipped in `feeds.d/`.
    package static let feedFiles: [(name: String, text: String)] = [
        stream("transaction_stream", "Données brutes", retention: 365, access: "restricted",
               note: "Raw transactions: restricted access (the seed's chmod 750)."),
        stream("transaction_flattened", "Schéma aplati", retention: 365, access: "internal", note: nil),
        stream("transaction_stream_anonymized", "Anonymisé + EUR", retention: 730, access: "public",
               note: "Anonymised, GDPR-compliant: readable by all (the seed's chmod 755)."),
        stream("transaction_stream_blacklisted", "Villes blacklistées", retention: 365, access: "restricted", note: nil),
        table("user_transaction_summary", "Montants par utilisateur"),
        table("user_transaction_summary_eur", "Montants en EUR"),
        table("payment_method_totals", "Totaux par méthode"),
        table("product_purchase_counts", "Compteurs par produit"),
    ]

    static func stream(_ name: String, _ description: String, retention: Int, access: String, note: String?) -> (String, String) {
        let header = note.map { "# \($0)\n" } ?? ""
        return ("\(name).yaml", """
            \(header)feed_name: \(name)
            feed_type: stream
            ksqldb_source: \(name)
            description: "\(description)"
            partitioning:
              type: date
              columns: [year, month, day]
            storage_mode: append
            format: parquet
            retention_days: \(retention)
            enabled: true
            access: \(access)

            """)
    }

    static func table(_ name: String, _ description: String) -> (String, String) {
        ("\(name).yaml", """
            feed_name: \(name)
            feed_type: table
            ksqldb_source: \(name)
            description: "\(description)"
            partitioning:
              type: version
            storage_mode: overwrite
            format: parquet
            versions_to_keep: 7
            enabled: true
            access: internal

            """)
    }
}
