"""Pages of API lists: cursor pagination in id order, so a big list pages in constant time
and a row added meanwhile never shifts the next page."""

from rest_framework.pagination import CursorPagination


class IdCursor(CursorPagination):
    ordering = "pk"
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 1000
