from django.contrib import messages
from django.db.models import Count, Min, Q, Sum
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render

from .forms import BookForm
from .models import Book


def book_list(request):
    books = Book.objects.all()
    q = request.GET.get("q", "").strip()
    if q:
        books = books.filter(Q(title__icontains=q) | Q(author__icontains=q))
    return render(request, "shelf/book_list.html", {"books": books, "q": q})


def book_detail(request, pk):
    book = get_object_or_404(Book, pk=pk)
    return render(request, "shelf/book_detail.html", {"book": book})


def book_new(request):
    if request.method == "POST":
        form = BookForm(request.POST)
        if form.is_valid():
            book = form.save()
            messages.success(request, f"Added \u201c{book.title}\u201d.")
            return redirect(book)
    else:
        form = BookForm()
    return render(request, "shelf/book_form.html", {"form": form})


def books_json(request):
    books = list(Book.objects.values("id", "title", "author", "year", "words"))
    return JsonResponse({"count": len(books), "books": books}, json_dumps_params={"ensure_ascii": False})


def stats(request):
    totals = Book.objects.aggregate(books=Count("id"), words=Sum("words"), oldest=Min("year"))
    century = (totals["oldest"] - 1) // 100 + 1 if totals["oldest"] else None
    return render(request, "shelf/stats.html", {"totals": totals, "century": century})
