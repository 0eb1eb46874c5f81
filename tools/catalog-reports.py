#!/usr/bin/env python3
"""Maintainer tool: regenerates findings/catalog/NAME.md from the current `daxfuzz explore` output and the
hand-written explanations below. Run from the repository root."""
import json, subprocess, sys, os

PLAIN = {
"commit-before-log-persisted": """The journal writes a transaction's log lines with non-temporal stores and then its commit record. The fence between the two is what orders them, and in this design it also orders the ordered-mode file data (the non-temporal stores of `write`) before the metadata that points at it. Without the fence, the commit record of the fsync of `/b` can reach the media while the 8 bytes written into `/b`'s block are still in flight. The block was `/a`'s until the truncate, so after recovery `/b` exists with its new size and block map but reads `/a`'s old `0x41` bytes: stale data from another file. (A torn log alone would be rejected by the commit checksum; the data path has no such second line of defence.)""",
"replay-ignores-checksum": """With `journal-commit async` (jbd2's ASYNC_COMMIT) the log lines and the commit record are written together and fenced once, so a power failure can leave the commit record on the media without all of the log lines it describes. Recovery must compare the commit checksum with the log and drop such a transaction. With the bug, recovery replays it anyway: stale log lines are written over the home locations of the metadata, and the file system that mounts is structurally broken (fsck's first complaint is printed above).""",
"inplace-before-commit": """Every call also writes the metadata lines it changed straight to their home locations, while the transaction that is meant to make the change atomic is still running. Those home writes are not ordered with anything, so a power failure during `mkdir /d` can leave some of them on the media and not others: here the root directory's new entry persisted only in part, and recovery (which has nothing committed to replay) mounts a directory whose entry has a garbage name. Chipmunk's main lesson: metadata may only reach its home location after the journal has made it redo-able.""",
"bitmap-outside-journal": """The block bitmap is updated in place (a cached store and a clwb) instead of joining the running transaction. Creating `/a` gives the empty root directory its first block: the bitmap bit can persist at once, while the directory inode that points at the block only persists when the transaction commits. A power failure in between leaves a block marked in use that nothing references (fsck's BLOCK_LEAKED); on a free, the opposite order would leave a referenced block free in the bitmap, to be allocated twice.""",
"rename-two-transactions": """`rename /a /b` adds the new name in one transaction and removes the old one in the next, as NOVA's rename did (linux-nova #116). If the power fails after the first commit and before the second, recovery finds both names pointing at one inode whose link count is still 1: fsck reports the link count, and no state of the program ever had both names. rename must be one transaction.""",
"nlink-outside-journal": """Link counts are written in place (with the inode checksum) instead of through the journal, as in NOVA's link-count bugs (#119, #125). The first calls only set the stage: they fill the small device so that a later allocation forces a checkpoint, after which `/a`'s inode lives at its home location and no journalled copy will be replayed over it. Then `link /a /c` raises the link count in place, but the new name is still only in the running transaction. After the power fails at the `crash` line, `/a`'s inode has a link count of 2 and one name, and its checksum no longer matches the rest of the inode.""",
"size-before-zeroing": """A write into a newly allocated block must zero the parts of the block it does not cover before the new size and block map can become durable. With the bug, the zeroing runs after the call's commit (which `O_DSYNC` forces). The block handed to `/b` was `/a`'s until the truncate, so a power failure between the commit and the zeroing recovers `/b` with size 101 and `/a`'s old `0x41` bytes in the first 100 bytes: stale data exposed through the new size.""",
"free-before-commit": """Blocks freed by truncate, punch or unlink must stay unused until the freeing transaction has committed, because until then a power failure hands them back to their old owner. With the bug, `truncate a 0` frees `/a`'s block and the very next write gives it to `/b`, whose data goes straight to the media. If the power fails before the truncate commits, recovery restores `/a` with its block, and `/a` now reads `/b`'s `0x42` bytes: data `/a` never had.""",
"unaligned-tail-cached": """The DAX copy writes the 8-byte-aligned part of a write with non-temporal stores, and the unaligned head and tail with cached stores that must each be followed by a clwb. With the bug, the tail of the 13-byte write stays in the CPU cache. fsync commits the metadata and fences, but a fence does not write back a cache line nobody flushed, so after the power fails `/a` has size 13 and reads zeros in bytes 8 to 12, which the completed fsync had made durable (NOVA #105; the edge cache lines of PMFS and WineFS).""",
"fdatasync-skips-size": """fdatasync may skip timestamps but must commit whatever is needed to read the data back, and that includes a larger file size (ext4's i_disksize, `ext4_update_inode_fsync_trans(..., datasync=1)`). With the bug, a size change alone does not make the inode datasync-dirty. The second write stays inside the already allocated block and only grows the size from 3 to 6, so `fdatasync f` commits nothing; after the power fails `/a` has size 3, and the bytes `def` that fdatasync promised are gone.""",
"sync-fault-inverted-dirty": """A MAP_SYNC write fault must commit the inode's metadata when it is dirty (for fdatasync) before it installs the writable page-table entry. With the test inverted, as in ext4's 2020 fast-commit regression of `ext4_inode_datasync_dirty()`, the fault skips the commit exactly when it is needed. `/a` and its size exist only in the running transaction when the store faults; the data is flushed and the program reaches the `crash` line believing it durable, but recovery does not know `/a` at all.""",
"pte-before-commit": """The MAP_SYNC promise is that once a write fault returns, the metadata needed to find the page is durable, so flushing the data from user space is enough (`dax_finish_sync_fault` exists to keep this order). With the bug the fault installs the writable page-table entry first and leaves the commit to a later fsync that never comes. The program stores and persists `durable` through the mapping, and the power fails: the bytes are on the media, but the file they belong to was never committed.""",
"fault-maps-unwritten": """`fallocate` gives `/a` an unwritten block: allocated, but read as zeros until it is converted. A write fault through a MAP_SYNC mapping must convert it (zero it and mark it written, committed before the PTE) so that data stored through the mapping is read back. With the bug the fault maps the unwritten block as it is. The user's persisted store reaches the block, but after recovery the block is still unwritten and reads zeros: the synchronously stored data is lost (the ext4-DAX unwritten-extent data loss).""",
"commit-while-holding-handle": """In the fsync-before-pte design the write fault makes its metadata durable before installing the PTE. It must first stop its own journal handle (ext4 calls `ext4_journal_stop` before `dax_finish_sync_fault`): a commit waits for every running handle to stop, so waiting for the commit while holding one waits for itself. The lock checker sees the fault wait for the journal commit with the handle still held, which on a real kernel is a hang, the mmap_sem vs journal deadlock discussed in the daxfile thread.""",
"retry-dirty-on-mtime": """In the drop-lock-retry design (as proposed in the 2017 thread) a write fault that finds dirty metadata drops the mmap lock, syncs, and returns VM_FAULT_RETRY; the retried fault should find the metadata clean. With the bug, a timestamp-only change counts as dirty. Every fault updates the file's mtime (`file_update_time`), so every retry dirties the inode again and the fault never completes, Dave Chinner's objection in the thread. daxfuzz bounds retries at 16 and reports the livelock.""",
"daxfile-no-cap-check": """Setting or clearing the daxfile flag freezes or unfreezes a file's block map for everyone, so the RFC requires CAP_LINUX_IMMUTABLE, as for the immutable flag. The program drops that capability and still succeeds in making `/a` static: the reference model expects EPERM, and daxfuzz reports the privilege that was not enforced.""",
"daxfile-allows-truncate": """A static (daxfile) file promises that its block map never changes while the flag is set, so applications may keep storing to its blocks directly. Like a swap file (`S_SWAPFILE`), it must refuse truncate and fallocate operations that would change the map. With the bug, `truncate f 4K` succeeds and frees the second block of a file whose map was frozen: the model expects EPERM, and the block-map watch sees the static map change.""",
"daxfile-allows-holes": """A file can only be made static if every block below its size is allocated: a hole would have to be filled by a later page fault, which is a block-map change (the RFC's `bmap_walk` refuses with "daxfile has holes"). `/a` is 8 KiB of holes after the truncate, yet `daxctl /a static` succeeds with the bug on; the model expects EINVAL.""",
"daxfile-clear-keeps-ref": """In the rfc-v1 design, setting the flag pins the file by keeping an open file reference on a global list, and clearing the flag must drop it (`filp_close`). With the bug the reference is kept after `daxctl /a clear`. When the program has closed every descriptor and exited, inode 2 still has a reference, so it can never be freed: daxfuzz's unmount check reports the leak, the one argued about in the thread.""",
"daxfile-flag-before-map": """Sealing a file must make its block map final (every unwritten extent zeroed and converted) and persist the static flag in the same transaction, so that a flag on the media always protects a complete map (the order FALLOC_FL_SEAL_BLOCK_MAP was meant to keep). With the bug the flag is committed first, by itself. A power failure before the conversion commits leaves `/a` carrying the persistent static flag over an unwritten block: fsck's STATIC_MAP_INCOMPLETE.""",
"daxfile-skips-unwritten": """Dave Chinner's rule for a frozen block map: the file must be fully allocated and zeroed, with no unwritten extents, before the map is frozen; otherwise the first write through a mapping converts the extent, which is a block-map change behind the application's back. With the bug, `daxctl /a static` seals `/a` while its fallocated block is still unwritten. The block-map watch reports it at once: the map that was frozen is not fully allocated and written.""",
}

def main():
    root = os.getcwd()
    bugs = json.loads(subprocess.run(["./daxfuzz", "bugs", "--json"], capture_output=True, text=True, check=True).stdout)
    by = {b["name"]: b for b in bugs}
    for name, plain in PLAIN.items():
        prog = f"findings/catalog/{name}.dxp"
        out = subprocess.run(["./daxfuzz", "explore", prog], capture_output=True, text=True).stdout.rstrip()
        b = by[name]
        md = f"""# Seeded bug `{name}`

**Design:** {b['design']}. **The mistake:** {b['breaks']}. **Modelled on:** {b['modelledOn']}.

```
./daxfuzz explore {prog}
```

## What daxfuzz prints

```
{out}
```

## In plain words

{plain}

With `bug {name}` removed, the same program is clean: `CatalogReplayTest` replays it both ways.
"""
        tmp = f"findings/catalog/.{name}.md.tmp"
        with open(tmp, "w") as f:
            f.write(md)
        os.replace(tmp, f"findings/catalog/{name}.md")
    missing = set(by) - set(PLAIN)
    if missing:
        sys.exit("no explanation for " + ", ".join(sorted(missing)))

main()
