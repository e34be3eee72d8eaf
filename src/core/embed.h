/* embed.h — files assembled into the binary with the assembler's .incbin, so data stays in
 * reviewable files (SQL migrations, the viewer's script and stylesheet) and no generator is
 * needed. Paths are relative to the repository root, where make runs. */
#ifndef GP_EMBED_H
#define GP_EMBED_H

/* Defines sym as the NUL-terminated bytes of file, in read-only data. At file scope only. */
#define EMBED(sym, file)                                                                           \
    __asm__(".section .rodata\n"                                                                   \
            ".global " #sym "\n"                                                                   \
            ".type " #sym ", @object\n"                                                            \
            ".balign 16\n" #sym ":\n"                                                              \
            ".incbin \"" file "\"\n"                                                               \
            ".byte 0\n"                                                                            \
            ".previous\n");                                                                        \
    extern const char sym[]

#endif
