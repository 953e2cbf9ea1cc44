"""Native code in child processes: a vendor PKCS#11 module that crashes or hangs becomes a
result, never a crashed wizard. ``calls`` runs one ``module:function`` in a child and
answers; ``childproc`` starts and bounds the child; ``child`` is the child's side;
``spare`` starts one early; ``pkcs11`` is the PKCS#11 scan and PIN test through them."""
