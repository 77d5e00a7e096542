/* hello.c - read a CSV file with sheaf and print its shape. */
#include <sheaf.h>
#include <stdio.h>

int main(int argc, char **argv)
{
    sheaf_ctx *ctx = NULL;
    sheaf_frame *frame = NULL;
    if (argc != 2 || sheaf_ctx_create(&ctx) != SHEAF_OK ||
        sheaf_csv_read(ctx, argv[1], NULL, &frame) != SHEAF_OK) {
        fprintf(stderr, "hello: %s\n", argc != 2 ? "usage: hello FILE.csv" : sheaf_last_error());
        sheaf_ctx_free(ctx);
        return 1;
    }
    printf("%zu rows, %zu columns\n", sheaf_frame_num_rows(frame), sheaf_frame_num_columns(frame));
    sheaf_frame_free(frame);
    sheaf_ctx_free(ctx);
    return 0;
}
