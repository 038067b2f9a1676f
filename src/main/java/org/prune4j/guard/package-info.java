/**
 * Guards against bad input shared by every reader and writer: I/O errors turned into messages
 * that name the file, the operation and the operating system's reason; file types checked
 * before a file is opened; sizes checked against the heap before they are allocated.
 */
package org.prune4j.guard;
