package io.micromodels.tune;

import java.nio.file.Path;

/** A separate process for {@code StudyTest}: takes a study's lock, says "locked", and holds it until stdin closes. */
public final class StudyLockHolder {
    private StudyLockHolder() {
    }

    public static void main(String[] args) throws Exception {
        try (StudyLock lock = StudyLock.acquire(Path.of(args[0]))) {
            System.out.println("locked");
            System.out.flush();
            while (System.in.read() != -1) {
                // hold the lock until the parent closes our stdin
            }
        }
    }
}
