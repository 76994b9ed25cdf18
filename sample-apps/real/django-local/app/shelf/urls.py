from django.urls import path

from . import views

app_name = "shelf"
urlpatterns = [
    path("", views.book_list, name="list"),
    path("books/<int:pk>/", views.book_detail, name="detail"),
    path("books/new/", views.book_new, name="new"),
    path("api/books/", views.books_json, name="json"),
    path("stats/", views.stats, name="stats"),
]
