package dev.daxfuzz.run;

import dev.daxfuzz.fs.CallResult;
import dev.daxfuzz.fs.JournalFs;
import dev.daxfuzz.fs.Site;
import dev.daxfuzz.program.Bytes;
import dev.daxfuzz.vm.AddressSpace;
import dev.daxfuzz.vm.FlushKind;
import dev.daxfuzz.vm.UserAccesses;

/**
 * A process's user-space accesses through the file system's address space, each turned into the
 * statement's result: OK, the bytes a load read, or the signal that stopped it. Stores remember
 * nothing here; {@link FsRunner} overrides {@link #mstore} to record what a store promises
 * (MAP_SYNC, static daxfiles) for its crash-image oracle.
 */
class PlainUserAccesses implements UserAccesses<CallResult> {
    private final JournalFs fs;

    PlainUserAccesses(JournalFs fs) {
        this.fs = fs;
    }

    @Override
    public CallResult mstore(int i, String map, long off, Bytes data, boolean nonTemporal) {
        return result(fs.mm().store(map, off, data.toArray(), nonTemporal, i, Site.USER_STORE.at(i), null));
    }

    @Override
    public CallResult mload(int i, String map, long off, long len) {
        AddressSpace.Access a = fs.mm().load(map, off, len, i);
        return a.ok() ? new CallResult.Data(Bytes.of(a.data())) : result(a);
    }

    @Override
    public CallResult mflush(int i, FlushKind kind, String map, long off) {
        return result(fs.mm().flush(kind, map, off, i, Site.USER_FLUSH.at(i)));
    }

    @Override
    public CallResult persist(int i, String map, long off, long len) {
        return result(fs.mm().persist(map, off, len, i, Site.USER_FLUSH.at(i), Site.USER_FENCE.at(i)));
    }

    /** OK, or the signal the access ended with. */
    static CallResult result(AddressSpace.Access a) {
        if (!a.ok()) {
            return a.signal() == AddressSpace.Signal.SIGBUS ? CallResult.SIGBUS : CallResult.SIGSEGV;
        }
        return CallResult.OK;
    }
}
