/**
 * Reading untrusted bytes safely: {@link io.hypersdk.core.io.DecompressionLimit} bounds every
 * decompression by what the descriptor declares; {@link io.hypersdk.core.io.FileNameProblems} names
 * the real cause when the file system refuses a name.
 */
package io.hypersdk.core.io;
