#include <stdio.h>

int main(void)
{
    printf("azboard %s\n", AZB_VERSION);
    return 0;
}
