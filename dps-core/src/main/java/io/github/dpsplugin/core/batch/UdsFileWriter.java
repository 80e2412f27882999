package io.github.dpsplugin.core.batch;

import io.github.dpsplugin.core.common.DpsException;
import io.github.dpsplugin.core.dice.Uds;
import io.github.dpsplugin.core.dice.UdsSource;
import io.github.dpsplugin.core.id.MacAddress;
import io.github.dpsplugin.core.id.RegistrationId;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.AclEntry;
import java.nio.file.attribute.AclEntryPermission;
import java.nio.file.attribute.AclEntryType;
import java.nio.file.attribute.AclFileAttributeView;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Makes a fleet's UDS file: for every selected device a fresh UDS, 32 bytes from a
 * {@link SecureRandom}, all distinct, written as the {@link UdsFile} format reads it (header
 * {@code registrationId,macAddress,uds}, then per line {@code <registration ID>,,<64 lower-case hex>}
 * for a device with an explicit ID, {@code ,<mac>,<64 lower-case hex>} for one whose ID the DevKit
 * derives from its MAC: that line serves the device under every firmware version it will report).
 *
 * <p>The file is made safely: it is created new in its (existing) directory, owner-only from the
 * first byte (a temporary file made with POSIX {@code rw-------} or an owner-only ACL), filled,
 * forced to disk, and only then given its name, without ever replacing a file: an existing file is
 * refused and left untouched, and any error leaves nothing behind. No UDS reaches a message or a
 * {@link BatchListener}; the buffers the values pass through are overwritten when done.
 */
public final class UdsFileWriter {

    private static final String FIELD = "udsFile";
    /** The header line; {@link UdsFile} skips it. */
    public static final String HEADER = UdsFile.HEADER;
    private static final int BUFFER_SIZE = 64 * 1024;

    private final UdsFileRequest request;
    private final BatchListener listener;
    private final SecureRandom random;

    private UdsFileWriter(UdsFileRequest request, BatchListener listener, SecureRandom random) {
        this.request = request;
        this.listener = listener;
        this.random = random;
    }

    /**
     * Writes the UDS file of {@code request}.
     *
     * @throws DpsException naming {@code udsFile} when the file exists, its directory does not, or it
     *     cannot be written owner-only; naming the device and field for a bad device (all of them,
     *     as {@code generate} reports them). Nothing is left behind.
     */
    public static UdsFileResult write(UdsFileRequest request, BatchListener listener) {
        return write(request, listener, new SecureRandom());
    }

    /** As {@link #write(UdsFileRequest, BatchListener)}, drawing from {@code random} (for tests). */
    static UdsFileResult write(UdsFileRequest request, BatchListener listener, SecureRandom random) {
        return new UdsFileWriter(request, listener, random).run();
    }

    // ---- the devices ---------------------------------------------------------------------------

    /** Marks a device that gets a new UDS here; never opened ({@code generate} reads the file). */
    private static final class NewUds implements UdsSource {
        @Override
        public Uds open() {
            throw new IllegalStateException("a device of a UDS file request has no UDS yet");
        }

        @Override
        public String toString() {
            return "a new UDS";
        }
    }

    static DeviceSpec newUdsDevice(String label, String registrationId, String macAddress, String firmwareVersion) {
        return DeviceSpec.parse(label, registrationId, macAddress, firmwareVersion, new NewUds());
    }

    static DeviceSpec ownUdsDevice(String label, String registrationId, String macAddress, String firmwareVersion,
            String where) {
        UdsSource elsewhere = new UdsSource() {
            @Override
            public Uds open() {
                throw new IllegalStateException("a device of a UDS file request is not read");
            }

            @Override
            public String toString() {
                return where;
            }
        };
        return DeviceSpec.parse(label, registrationId, macAddress, firmwareVersion, elsewhere);
    }

    // ---- the run -------------------------------------------------------------------------------

    private UdsFileResult run() {
        long t0 = System.nanoTime();
        Path target = request.udsFile();
        Path dir = checkTarget(target);
        UdsFileDirectory.warnAboutLeftovers(dir, target, listener::warning);
        Path temp = createOwnerOnly(dir, target.getFileName().toString());
        boolean published = false;
        try {
            long[] counts = fill(temp);
            publish(temp, target);
            published = true;
            listener.debug(String.format(Locale.ROOT, "%d UDS values drawn and written in %d ms", counts[0],
                    (System.nanoTime() - t0) / 1_000_000));
            return new UdsFileResult(target, counts[0], counts[1]);
        } finally {
            if (!published) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // owner-only and named as temporary; the error being reported matters more
                }
            }
        }
    }

    /** Refuses an existing file, a directory, a missing or non-directory parent; returns the parent. */
    static Path checkTarget(Path target) {
        if (Files.isDirectory(target)) {
            throw new DpsException(FIELD, target + " is a directory; expected the path of a new file, such as "
                    + target.resolve("uds.csv"));
        }
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            throw exists(target);
        }
        Path dir = target.toAbsolutePath().getParent();
        if (dir == null || target.getFileName() == null) {
            throw new DpsException(FIELD, target + " is not a file path; expected the path of a new file");
        }
        if (!Files.exists(dir)) {
            throw new DpsException(FIELD, "the directory " + dir + " does not exist; create it first (readable by"
                    + " its owner only, e.g. mkdir -m 700), or choose a file in an existing directory");
        }
        if (!Files.isDirectory(dir)) {
            throw new DpsException(FIELD, dir + " is not a directory; expected " + target + " in an existing"
                    + " directory");
        }
        return dir;
    }

    private static DpsException exists(Path target) {
        return new DpsException(FIELD, target + " exists already; a UDS file is only ever created new, never"
                + " overwritten or appended to (it may hold the secrets of devices already programmed). Choose a new"
                + " path, or move the old file away first; it was left untouched");
    }

    /**
     * Reads the devices, draws their UDS values and writes the file; returns {written, skipped}.
     * Every device is checked; those in error are reported as {@link DeviceErrors} sums them up.
     */
    private long[] fill(Path temp) {
        DeviceErrors errors = new DeviceErrors();
        // the first label of each ID, and of each MAC of a device that gets a line (UdsFile finds it by its MAC)
        Map<String, String> ids = new HashMap<>();
        Map<MacAddress, String> macs = new HashMap<>();
        Set<Long> drawn = new HashSet<>();
        long written = 0;
        long skipped = 0;
        byte[] uds = new byte[Uds.LENGTH];
        MessageDigest sha256 = sha256();
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE);
                SecretBuffer out = new SecretBuffer(channel);
                DeviceSelection devices = new DeviceSelection(request.devices(), request.devicesFile(),
                        request.defaultFirmwareVersion(), id -> new NewUds(), request.shard())) {
            out.ascii(HEADER);
            out.newline();
            while (true) {
                DeviceSpec d;
                try {
                    if (!devices.hasNext()) {
                        break;
                    }
                    d = devices.next();
                } catch (DpsException e) {
                    if (e.device() == null) {
                        throw e; // the devices file itself is unusable
                    }
                    errors.add(e);
                    continue;
                }
                RegistrationId id = d.registrationId();
                String first = ids.putIfAbsent(id.value(), d.label());
                if (first != null) {
                    errors.add(new DpsException("registrationId", "'" + id + "' is listed more than once (also device "
                            + first + "); each device needs its own registration ID").forDevice(d.label()));
                    continue;
                }
                if (!(d.udsSource() instanceof NewUds)) {
                    skipped++;
                    listener.warning("device " + d.label() + " takes its UDS from " + d.udsSource() + ", so generate"
                            + " will not read it from the UDS file: no UDS made for it");
                    continue;
                }
                // also an explicit ID of the derived form: the same device under any version
                MacAddress mac = RegistrationId.derivedMac(id.value());
                String sameMac = mac == null ? null : macs.putIfAbsent(mac, d.label());
                if (sameMac != null) {
                    errors.add(new DpsException("macAddress", "MAC address " + mac + " is listed more than once (also"
                            + " device " + sameMac + "); a device keeps one UDS for life, so each MAC needs one line")
                            .forDevice(d.label()));
                    continue;
                }
                if (!errors.isEmpty()) {
                    continue; // nothing will be published: draw no more secrets, keep validating
                }
                try {
                    drawDistinct(uds, sha256, drawn);
                    if (mac != null) {
                        out.put((byte) ',');
                        out.ascii(mac.value());
                    } else {
                        out.ascii(id.value());
                        out.put((byte) ',');
                    }
                    out.put((byte) ',');
                    out.hex(uds);
                    out.newline();
                } finally {
                    Arrays.fill(uds, (byte) 0);
                }
                written++;
            }
            if (!errors.isEmpty()) {
                throw errors.exception(true);
            }
            if (written == 0) {
                throw noDevice(skipped);
            }
            out.flush();
            channel.force(true);
        } catch (IOException e) {
            throw DpsException.environment(FIELD, "cannot write " + request.udsFile() + ": " + e.getMessage(), e);
        }
        return new long[] {written, skipped};
    }

    private DpsException noDevice(long skipped) {
        if (skipped > 0) {
            return new DpsException("devices", "every selected device takes its UDS from elsewhere (udsServerId or"
                    + " udsEnv; see the warnings above), so no UDS file is needed for them");
        }
        return new DpsException("devices", request.shard().isAll()
                ? "no device to make a UDS for; list devices, give a devicesFile, or give a registrationId (or"
                        + " macAddress and firmwareVersion)"
                : "shard " + request.shard() + " holds no device; the fleet has fewer devices than shards");
    }

    /**
     * Fills {@code uds} with fresh random bytes unlike every earlier draw of this run. Earlier
     * draws are remembered by 64 bits of their SHA-256, not by value: the run holds no UDS but
     * the current one. A repeat (of the fingerprint, so also of any value) is drawn again.
     */
    private void drawDistinct(byte[] uds, MessageDigest sha256, Set<Long> drawn) {
        while (true) {
            random.nextBytes(uds);
            byte[] h = sha256.digest(uds);
            long fingerprint = 0;
            for (int i = 0; i < Long.BYTES; i++) {
                fingerprint = fingerprint << 8 | (h[i] & 0xff);
            }
            Arrays.fill(h, (byte) 0);
            if (drawn.add(fingerprint)) {
                return;
            }
            listener.debug("a drawn UDS repeated an earlier one; drawn again");
        }
    }

    // ---- the file ------------------------------------------------------------------------------

    /**
     * An empty temporary file beside the target, owner-only from its creation: POSIX
     * {@code rw-------}, or else an ACL that allows its owner alone. Refused where neither can be had.
     */
    static Path createOwnerOnly(Path dir, String name) {
        String prefix = "." + name + ".";
        Path temp;
        try {
            if (Files.getFileStore(dir).supportsFileAttributeView("posix")) {
                Set<PosixFilePermission> ownerOnly =
                        EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
                temp = Files.createTempFile(dir, prefix, ".tmp", PosixFilePermissions.asFileAttribute(ownerOnly));
                // the umask can only remove bits; a file system that ignores modes (e.g. a FAT mount) shows more
                Set<PosixFilePermission> actual = Files.getPosixFilePermissions(temp);
                if (!ownerOnly.containsAll(actual)) {
                    Files.delete(temp);
                    throw new DpsException(FIELD, "the file system of " + dir + " does not keep file permissions"
                            + " (a new file there is " + PosixFilePermissions.toString(actual) + "); put the UDS"
                            + " file where files can be made readable by their owner only");
                }
            } else if (Files.getFileStore(dir).supportsFileAttributeView("acl")) {
                UserPrincipal owner = dir.getFileSystem().getUserPrincipalLookupService()
                        .lookupPrincipalByName(System.getProperty("user.name"));
                List<AclEntry> acl = ownerOnlyAcl(owner);
                temp = Files.createTempFile(dir, prefix, ".tmp", aclAttribute(acl));
                // set again: the ACL given at creation may be merged with entries inherited from the directory
                Files.getFileAttributeView(temp, AclFileAttributeView.class).setAcl(acl);
            } else {
                throw new DpsException(FIELD, "the file system of " + dir + " has neither POSIX permissions nor"
                        + " ACLs, so the UDS file could not be made readable by its owner only; choose another"
                        + " directory");
            }
        } catch (AccessDeniedException e) {
            throw new DpsException(FIELD, "cannot create a file in " + dir + " (permission denied); expected a"
                    + " directory this build may write to");
        } catch (IOException e) {
            throw DpsException.environment(FIELD, "cannot create a file in " + dir + ": " + e.getMessage(), e);
        }
        return temp;
    }

    /** One entry: the owner may do everything; nobody else (no inherited or group entries) anything. */
    static List<AclEntry> ownerOnlyAcl(UserPrincipal owner) {
        return List.of(AclEntry.newBuilder().setType(AclEntryType.ALLOW).setPrincipal(owner)
                .setPermissions(EnumSet.allOf(AclEntryPermission.class)).build());
    }

    private static FileAttribute<List<AclEntry>> aclAttribute(List<AclEntry> acl) {
        return new FileAttribute<>() {
            @Override
            public String name() {
                return "acl:acl";
            }

            @Override
            public List<AclEntry> value() {
                return acl;
            }
        };
    }

    /**
     * Gives the finished temporary file its name, never replacing a file: a hard link fails
     * atomically if the name is taken (a rename would replace it on POSIX). Where hard links are not
     * supported, an atomic rename after a last check.
     */
    static void publish(Path temp, Path target) {
        try {
            try {
                Files.createLink(target, temp);
            } catch (FileAlreadyExistsException e) {
                throw exists(target);
            } catch (UnsupportedOperationException | FileSystemException e) {
                if (e instanceof NoSuchFileException || e instanceof AccessDeniedException) {
                    throw e;
                }
                // no hard links on this file system (e.g. FAT, some network shares)
                if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                    throw exists(target);
                }
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
                UdsFileDirectory.syncParent(target);
                return;
            }
            UdsFileDirectory.syncParent(target); // the new name first: it alone must survive a power loss
            try {
                Files.delete(temp);
                UdsFileDirectory.syncParent(target);
            } catch (IOException e) {
                // the file is complete under its name; its second name must not be forgotten
                throw new DpsException(FIELD, target + " was written, but its temporary name " + temp + " could not"
                        + " be removed (" + e.getMessage() + "); delete " + temp + ", it holds the same secrets");
            }
        } catch (AccessDeniedException e) {
            throw new DpsException(FIELD, "cannot create " + target + " (permission denied)");
        } catch (IOException e) {
            throw DpsException.environment(FIELD, "cannot create " + target + ": " + e.getMessage(), e);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK guarantees SHA-256", e);
        }
    }

    /**
     * Writes through a direct buffer that it overwrites with zeros when closed: a heap array given
     * to a channel would be copied into the JDK's cached temporary buffers, which nobody clears.
     */
    private static final class SecretBuffer implements AutoCloseable {
        private final FileChannel channel;
        private final ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER_SIZE);

        SecretBuffer(FileChannel channel) {
            this.channel = channel;
        }

        void put(byte b) throws IOException {
            if (!buffer.hasRemaining()) {
                flush();
            }
            buffer.put(b);
        }

        void ascii(String s) throws IOException {
            for (byte b : s.getBytes(StandardCharsets.US_ASCII)) {
                put(b);
            }
        }

        void newline() throws IOException {
            put((byte) '\n');
        }

        /** Lower-case hex without a table or a branch on the value. */
        void hex(byte[] bytes) throws IOException {
            for (byte b : bytes) {
                put(hexDigit((b >> 4) & 0xf));
                put(hexDigit(b & 0xf));
            }
        }

        void flush() throws IOException {
            buffer.flip();
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            buffer.clear();
        }

        @Override
        public void close() {
            buffer.clear();
            while (buffer.hasRemaining()) {
                buffer.put((byte) 0);
            }
            buffer.clear();
        }
    }

    /** '0'..'9' for 0..9, 'a'..'f' for 10..15: adds 39 exactly when n > 9, by the sign of 9 - n. */
    static byte hexDigit(int n) {
        return (byte) ('0' + n + (((9 - n) >> 31) & ('a' - '0' - 10)));
    }
}
