package io.hypersdk.server;

import io.hypersdk.core.job.JobCodec;
import io.hypersdk.core.job.JobDefinition;
import io.hypersdk.core.job.JobProgress;
import io.hypersdk.core.job.JobResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Job state and history in SQLite ({@code <stateDir>/jobs.db}). The schema is versioned: each entry
 * of {@link #MIGRATIONS} runs once, in order, recorded in {@code PRAGMA user_version}. One
 * connection, used under this object's lock (SQLite serialises writers anyway).
 */
final class JobStore implements AutoCloseable {
    /** Schema migrations; index + 1 is the version they bring the database to. Append only. */
    private static final List<String> MIGRATIONS =
            List.of(
                    "CREATE TABLE jobs ("
                            + " seq INTEGER PRIMARY KEY AUTOINCREMENT,"
                            + " id TEXT NOT NULL UNIQUE,"
                            + " definition TEXT NOT NULL,"
                            + " status TEXT NOT NULL,"
                            + " progress TEXT,"
                            + " result TEXT,"
                            + " error TEXT,"
                            + " created_at TEXT NOT NULL,"
                            + " started_at TEXT,"
                            + " completed_at TEXT,"
                            + " updated_at TEXT NOT NULL)",
                    "CREATE INDEX jobs_status ON jobs(status)");

    private final Connection db;

    private JobStore(Connection db) {
        this.db = db;
    }

    static JobStore open(Path stateDir) {
        try {
            Files.createDirectories(stateDir);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot create the state directory " + stateDir + ": " + e.getMessage(), e);
        }
        Path file = stateDir.resolve("jobs.db");
        try {
            Connection c = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA journal_mode=WAL");
                s.execute("PRAGMA synchronous=NORMAL");
            }
            JobStore store = new JobStore(c);
            store.migrate();
            return store;
        } catch (SQLException e) {
            throw new JobStoreException(
                    "cannot open the job database " + file + ": " + e.getMessage(), e);
        }
    }

    /** The schema version this code writes. */
    static int schemaVersion() {
        return MIGRATIONS.size();
    }

    synchronized int version() {
        try (Statement s = db.createStatement();
                ResultSet rs = s.executeQuery("PRAGMA user_version")) {
            return rs.next() ? rs.getInt(1) : 0;
        } catch (SQLException e) {
            throw new JobStoreException("cannot read the schema version: " + e.getMessage(), e);
        }
    }

    private synchronized void migrate() throws SQLException {
        int v = version();
        if (v > MIGRATIONS.size()) {
            throw new JobStoreException(
                    "the job database has schema version "
                            + v
                            + ", newer than this server's "
                            + MIGRATIONS.size()
                            + ": run a newer hypersdk-server or use another state directory",
                    null);
        }
        db.setAutoCommit(false);
        try (Statement s = db.createStatement()) {
            for (int i = v; i < MIGRATIONS.size(); i++) {
                s.execute(MIGRATIONS.get(i));
                s.execute("PRAGMA user_version = " + (i + 1));
            }
            db.commit();
        } catch (SQLException e) {
            db.rollback();
            throw e;
        } finally {
            db.setAutoCommit(true);
        }
    }

    synchronized boolean insert(JobRecord r) {
        try (PreparedStatement p =
                db.prepareStatement(
                        "INSERT OR IGNORE INTO jobs(id, definition, status, progress,"
                                + " result, error, created_at, started_at, completed_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?)")) {
            bind(p, r);
            return p.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new JobStoreException("cannot store job " + r.id() + ": " + e.getMessage(), e);
        }
    }

    synchronized void update(JobRecord r) {
        try (PreparedStatement p =
                db.prepareStatement(
                        "UPDATE jobs SET definition=?, status=?, progress=?, result=?,"
                                + " error=?, created_at=?, started_at=?, completed_at=?, updated_at=? WHERE id=?")) {
            bindColumns(p, r, 1);
            p.setString(10, r.id());
            p.executeUpdate();
        } catch (SQLException e) {
            throw new JobStoreException("cannot update job " + r.id() + ": " + e.getMessage(), e);
        }
    }

    private static void bind(PreparedStatement p, JobRecord r) throws SQLException {
        p.setString(1, r.id());
        bindColumns(p, r, 2);
    }

    /** Every column but the id, in table order, from parameter {@code first} on. */
    private static void bindColumns(PreparedStatement p, JobRecord r, int first)
            throws SQLException {
        int i = first;
        p.setString(i++, JobCodec.toJson(r.definition()));
        p.setString(i++, r.state().id());
        p.setString(i++, r.progress().map(JobCodec::toJson).orElse(null));
        p.setString(i++, r.result().map(JobCodec::toJson).orElse(null));
        p.setString(i++, r.error().orElse(null));
        p.setString(i++, r.createdAt().toString());
        p.setString(i++, r.startedAt().map(Instant::toString).orElse(null));
        p.setString(i++, r.completedAt().map(Instant::toString).orElse(null));
        p.setString(i, r.updatedAt().toString());
    }

    synchronized Optional<JobRecord> find(String id) {
        List<JobRecord> l = select("SELECT * FROM jobs WHERE id=?", id);
        return l.isEmpty() ? Optional.empty() : Optional.of(l.get(0));
    }

    /** Every job, oldest first. */
    synchronized List<JobRecord> all() {
        return select("SELECT * FROM jobs ORDER BY seq");
    }

    synchronized List<JobRecord> inState(JobState state) {
        return select("SELECT * FROM jobs WHERE status=? ORDER BY seq", state.id());
    }

    private List<JobRecord> select(String sql, String... args) {
        try (PreparedStatement p = db.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                p.setString(i + 1, args[i]);
            }
            List<JobRecord> out = new ArrayList<>();
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    out.add(row(rs));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new JobStoreException("cannot read jobs: " + e.getMessage(), e);
        }
    }

    private static JobRecord row(ResultSet rs) throws SQLException {
        return new JobRecord(
                rs.getString("id"),
                JobCodec.read(
                        rs.getString("definition"), JobCodec.Format.JSON, JobDefinition.class),
                JobState.parse(rs.getString("status")),
                Optional.ofNullable(rs.getString("progress"))
                        .map(t -> JobCodec.read(t, JobCodec.Format.JSON, JobProgress.class)),
                Optional.ofNullable(rs.getString("result"))
                        .map(t -> JobCodec.read(t, JobCodec.Format.JSON, JobResult.class)),
                Optional.ofNullable(rs.getString("error")),
                Instant.parse(rs.getString("created_at")),
                Optional.ofNullable(rs.getString("started_at")).map(Instant::parse),
                Optional.ofNullable(rs.getString("completed_at")).map(Instant::parse),
                Instant.parse(rs.getString("updated_at")));
    }

    @Override
    public synchronized void close() {
        try {
            db.close();
        } catch (SQLException e) {
            throw new JobStoreException("cannot close the job database: " + e.getMessage(), e);
        }
    }
}
