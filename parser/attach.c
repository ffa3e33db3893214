/* parser/attach.c: being written; see the header of its folder. */
typedef int sm_empty_unit_attach;
