"""django-tables2's RequestConfig, with the page size left to the view.

django-tables2 lets ?per_page= in the query string override the size a view
asks for. ?per_page=0 divided by zero in Django's paginator and ?per_page=-1
made its own fallback raise EmptyPage: a server error on every table page.
A large value would render every row of a campaign with a million
annotations in one page. So the view's size always holds; the page number
stays the reader's (one out of range shows the last page, as before).

Views import RequestConfig from here instead of from django_tables2.
"""

import copy

from django_tables2 import RequestConfig as TablesRequestConfig


class RequestConfig(TablesRequestConfig):
    def configure(self, table):
        field = table.prefixed_per_page_field
        if not self.paginate or field not in self.request.GET:
            return super().configure(table)
        original = self.request
        query = original.GET.copy()
        del query[field]
        self.request = copy.copy(original)
        self.request.GET = query
        try:
            return super().configure(table)
        finally:
            self.request = table.request = original
