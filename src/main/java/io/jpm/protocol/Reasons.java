package io.jpm.protocol;

import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/**
 * A failure in words that fit on one line: the innermost cause's message, not a wrapper's class name
 * (an ExceptionInInitializerError, a CompletionException), and a file error's path with what is wrong
 * with it (the JDK's message for a DirectoryNotEmptyException or an AccessDeniedException is the path
 * alone). For the daemon's start (daemon.StartFailure) and the client's.
 */
public final class Reasons {
    private Reasons() {}

    public static String of(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root instanceof FileSystemException e && e.getFile() != null) {
            String reason = e.getReason() != null ? e.getReason() : whatIsWrong(e);
            return e.getFile() + (e.getOtherFile() != null ? " -> " + e.getOtherFile() : "") + ": " + reason;
        }
        String message = root.getMessage();
        return message == null || message.isBlank() ? root.getClass().getSimpleName() : message;
    }

    private static String whatIsWrong(FileSystemException e) {
        if (e instanceof DirectoryNotEmptyException) {
            return "a folder that is not empty is in the way: remove it";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof NoSuchFileException) {
            return "no such file or folder";
        }
        if (e instanceof FileAlreadyExistsException) {
            return "something is in the way: remove it";
        }
        if (e instanceof NotDirectoryException) {
            return "not a folder";
        }
        return e.getClass().getSimpleName();
    }
}
