#include <deal.II/base/array_view.h>

#include <deal.II/fe/fe.h>

#include <deal.II/matrix_free/evaluation_flags.h>
#include <deal.II/matrix_free/fe_point_evaluation.h>

#include <limits>

#include <mollifem/data/observation_operator.h>

namespace mollifem
{
  template <int dim>
  ObservationOperator<dim>::ObservationOperator(
    const std::vector<Point<dim>> &points,
    const MPI_Comm                 communicator)
    : points(points)
    , communicator(communicator)
    , mapping(nullptr)
  {
    const unsigned int n_ranks = Utilities::MPI::n_mpi_processes(communicator);
    const unsigned int rank    = Utilities::MPI::this_mpi_process(communicator);
    const auto         range   = Utilities::create_evenly_distributed_partitioning(
      rank, n_ranks, static_cast<types::global_dof_index>(points.size()));
    first_point = range.nth_index_in_set(0);
    end_point   = first_point + range.n_elements();
    if (range.n_elements() == 0)
      first_point = end_point = 0;
  }



  namespace
  {
    /**
     * Calls @p function(cell, first, n) for every cell of @p cell_data that
     * is active and locally owned, with the range [first, first + n) of its
     * reference points. deal.II 9.4 (in 1D at least) also lists refined
     * parent cells around a point; these are skipped here and not counted
     * by the operator.
     */
    template <int dim, typename Function>
    void
    for_each_valid_cell(
      const typename Utilities::MPI::RemotePointEvaluation<dim>::CellData
        &                      cell_data,
      const DoFHandler<dim> &  dof_handler,
      const Function &         function)
    {
      for (unsigned int i = 0; i < cell_data.cells.size(); ++i)
        {
          const typename DoFHandler<dim>::cell_iterator cell(
            &dof_handler.get_triangulation(),
            cell_data.cells[i].first,
            cell_data.cells[i].second,
            &dof_handler);
          if (!cell->is_active() || !cell->is_locally_owned())
            continue;
          const unsigned int first = cell_data.reference_point_ptrs[i];
          function(typename DoFHandler<dim>::active_cell_iterator(cell),
                   first,
                   cell_data.reference_point_ptrs[i + 1] - first);
        }
    }

    /**
     * The values of all points from every rank's block of @p my_values
     * (the evenly distributed partitioning of @p n_points, as the
     * constructor makes it), by one MPI_Allgatherv of the raw numbers:
     * Utilities::MPI::all_gather() would serialize and compress them, which
     * dominated the cost of a Hessian-vector product on small meshes.
     */
    std::vector<double>
    gather_blocks(const MPI_Comm             communicator,
                  const std::vector<double> &my_values,
                  const std::size_t          n_points)
    {
      const unsigned int n_ranks = Utilities::MPI::n_mpi_processes(communicator);
      std::vector<int>   counts(n_ranks), offsets(n_ranks);
      for (unsigned int r = 0; r < n_ranks; ++r)
        {
          const auto range = Utilities::create_evenly_distributed_partitioning(
            r, n_ranks, static_cast<types::global_dof_index>(n_points));
          counts[r]  = static_cast<int>(range.n_elements());
          offsets[r] = counts[r] > 0 ? static_cast<int>(range.nth_index_in_set(0)) : 0;
        }
      AssertDimension(my_values.size(),
                      counts[Utilities::MPI::this_mpi_process(communicator)]);
      std::vector<double> all_values(n_points);
      const int           ierr = MPI_Allgatherv(my_values.data(),
                                      static_cast<int>(my_values.size()),
                                      MPI_DOUBLE,
                                      all_values.data(),
                                      counts.data(),
                                      offsets.data(),
                                      MPI_DOUBLE,
                                      communicator);
      AssertThrowMPI(ierr);
      return all_values;
    }
  } // namespace



  template <int dim>
  void
  ObservationOperator<dim>::reinit(const Triangulation<dim> &triangulation,
                                   const Mapping<dim> &      mapping)
  {
    this->mapping = &mapping;

    // A point on a face or vertex is found in every adjacent cell. deal.II
    // 9.4 can enforce a unique cell, but then misreports points on a vertex
    // shared by two cells of another rank as not found; instead, every
    // (point, cell) pair is kept, evaluate() averages over the cells of a
    // point and add_transpose() splits the weight among them.
    locator = std::make_unique<Utilities::MPI::RemotePointEvaluation<dim>>(
      /*tolerance=*/1e-8, /*enforce_unique_mapping=*/false);
    const std::vector<Point<dim>> my_points(points.begin() + first_point,
                                            points.begin() + end_point);
    locator->reinit(my_points, triangulation, mapping);

    // Count the valid cells of every point of this rank's block.
    DoFHandler<dim> cells_only(triangulation);
    std::vector<double> pair_flags, buffer;
    locator->template evaluate_and_process<double>(
      pair_flags,
      buffer,
      [&](const ArrayView<double> &flags,
          const typename Utilities::MPI::RemotePointEvaluation<dim>::CellData
            &cell_data) {
        for (auto &f : flags)
          f = 0.;
        for_each_valid_cell<dim>(cell_data,
                                 cells_only,
                                 [&](const auto &,
                                     const unsigned int first,
                                     const unsigned int n) {
                                   for (unsigned int q = 0; q < n; ++q)
                                     flags[first + q] = 1.;
                                 });
      });
    const std::vector<unsigned int> &pointers = locator->get_point_ptrs();
    n_cells_of_point.assign(end_point - first_point, 0);
    for (unsigned int i = 0; i < n_cells_of_point.size(); ++i)
      for (unsigned int p = pointers[i]; p < pointers[i + 1]; ++p)
        n_cells_of_point[i] += static_cast<unsigned int>(pair_flags[p]);
  }



  template <int dim>
  std::vector<unsigned int>
  ObservationOperator<dim>::points_not_found() const
  {
    Assert(locator, ExcMessage("Call reinit() first."));
    std::vector<unsigned int> missing;
    for (unsigned int i = first_point; i < end_point; ++i)
      if (n_cells_of_point[i - first_point] == 0)
        missing.push_back(i);
    std::vector<unsigned int> all;
    for (const auto &part : Utilities::MPI::all_gather(communicator, missing))
      all.insert(all.end(), part.begin(), part.end());
    return all;
  }



  template <int dim>
  std::vector<double>
  ObservationOperator<dim>::evaluate(const DoFHandler<dim> &dof_handler,
                                     const LA::Vector &     ghosted_vector,
                                     const unsigned int     component) const
  {
    Assert(locator, ExcMessage("Call reinit() first."));
    Assert(&dof_handler.get_triangulation() == &locator->get_triangulation(),
           ExcMessage("The field must live on the triangulation the points "
                      "were located in."));
    const FiniteElement<dim> &fe = dof_handler.get_fe();

    const auto evaluate_on_cells =
      [&](const ArrayView<double> &values,
          const typename Utilities::MPI::RemotePointEvaluation<dim>::CellData
            &cell_data) {
        FEPointEvaluation<1, dim> evaluator(*mapping,
                                            fe,
                                            update_values,
                                            component);
        std::vector<double> local_values(fe.n_dofs_per_cell());
        for (auto &v : values)
          v = 0.;
        for_each_valid_cell<dim>(
          cell_data,
          dof_handler,
          [&](const typename DoFHandler<dim>::active_cell_iterator &cell,
              const unsigned int                                    first,
              const unsigned int                                    n) {
            cell->get_dof_values(ghosted_vector,
                                 local_values.begin(),
                                 local_values.end());
            evaluator.reinit(cell,
                             ArrayView<const Point<dim>>(
                               cell_data.reference_point_values.data() + first,
                               n));
            evaluator.evaluate(local_values, EvaluationFlags::values);
            for (unsigned int q = 0; q < n; ++q)
              values[first + q] = evaluator.get_value(q);
          });
      };

    std::vector<double> pair_values, buffer;
    locator->template evaluate_and_process<double>(pair_values,
                                                   buffer,
                                                   evaluate_on_cells);
    const std::vector<unsigned int> &pointers = locator->get_point_ptrs();
    std::vector<double>              my_values(end_point - first_point);
    for (unsigned int i = 0; i < my_values.size(); ++i)
      {
        AssertThrow(n_cells_of_point[i] > 0,
                    ExcMessage("Observation point " +
                               std::to_string(first_point + i) +
                               " lies outside the mesh."));
        double sum = 0.;
        for (unsigned int p = pointers[i]; p < pointers[i + 1]; ++p)
          sum += pair_values[p];
        my_values[i] = sum / n_cells_of_point[i];
      }

    return gather_blocks(communicator, my_values, points.size());
  }



  template <int dim>
  std::vector<double>
  ObservationOperator<dim>::min_over_cells(
    const std::function<
      double(const typename Triangulation<dim>::active_cell_iterator &)>
      &cell_function) const
  {
    Assert(locator, ExcMessage("Call reinit() first."));
    DoFHandler<dim>     cells_only(locator->get_triangulation());
    std::vector<double> pair_values, buffer;
    locator->template evaluate_and_process<double>(
      pair_values,
      buffer,
      [&](const ArrayView<double> &values,
          const typename Utilities::MPI::RemotePointEvaluation<dim>::CellData
            &cell_data) {
        for (auto &v : values)
          v = std::numeric_limits<double>::max();
        for_each_valid_cell<dim>(
          cell_data,
          cells_only,
          [&](const typename DoFHandler<dim>::active_cell_iterator &cell,
              const unsigned int                                    first,
              const unsigned int                                    n) {
            const double value = cell_function(cell);
            for (unsigned int q = 0; q < n; ++q)
              values[first + q] = value;
          });
      });
    const std::vector<unsigned int> &pointers = locator->get_point_ptrs();
    std::vector<double> my_values(end_point - first_point,
                                  std::numeric_limits<double>::max());
    for (unsigned int i = 0; i < my_values.size(); ++i)
      {
        AssertThrow(n_cells_of_point[i] > 0,
                    ExcMessage("Point " + std::to_string(first_point + i) +
                               " lies outside the mesh."));
        for (unsigned int p = pointers[i]; p < pointers[i + 1]; ++p)
          my_values[i] = std::min(my_values[i], pair_values[p]);
      }
    return gather_blocks(communicator, my_values, points.size());
  }



  template <int dim>
  void
  ObservationOperator<dim>::add_transpose(
    const DoFHandler<dim> &          dof_handler,
    const std::vector<double> &      weights,
    const AffineConstraints<double> &constraints,
    LA::Vector &                     dual,
    const unsigned int               component) const
  {
    Assert(locator, ExcMessage("Call reinit() first."));
    Assert(&dof_handler.get_triangulation() == &locator->get_triangulation(),
           ExcMessage("The field must live on the triangulation the points "
                      "were located in."));
    AssertDimension(weights.size(), points.size());
    const FiniteElement<dim> &fe = dof_handler.get_fe();

    const auto integrate_on_cells =
      [&](const ArrayView<const double> &values,
          const typename Utilities::MPI::RemotePointEvaluation<dim>::CellData
            &cell_data) {
        FEPointEvaluation<1, dim> evaluator(*mapping,
                                            fe,
                                            update_values,
                                            component);
        std::vector<double> local_values(fe.n_dofs_per_cell());
        std::vector<types::global_dof_index> dof_indices(fe.n_dofs_per_cell());
        for_each_valid_cell<dim>(
          cell_data,
          dof_handler,
          [&](const typename DoFHandler<dim>::active_cell_iterator &cell,
              const unsigned int                                    first,
              const unsigned int                                    n) {
            evaluator.reinit(cell,
                             ArrayView<const Point<dim>>(
                               cell_data.reference_point_values.data() + first,
                               n));
            for (unsigned int q = 0; q < n; ++q)
              evaluator.submit_value(values[first + q], q);
            evaluator.integrate(local_values, EvaluationFlags::values);
            cell->get_dof_indices(dof_indices);
            constraints.distribute_local_to_global(local_values,
                                                   dof_indices,
                                                   dual);
          });
      };

    // deal.II hands the weight of a point to every cell that contains it;
    // evaluate() averages over the valid ones, so each gets its share.
    std::vector<double> my_weights(end_point - first_point);
    for (unsigned int i = 0; i < my_weights.size(); ++i)
      {
        AssertThrow(n_cells_of_point[i] > 0,
                    ExcMessage("Observation point " +
                               std::to_string(first_point + i) +
                               " lies outside the mesh."));
        my_weights[i] = weights[first_point + i] / n_cells_of_point[i];
      }
    std::vector<double> buffer;
    locator->template process_and_evaluate<double>(my_weights,
                                                   buffer,
                                                   integrate_on_cells);
    dual.compress(VectorOperation::add);
  }



  template <int dim>
  unsigned int
  ObservationOperator<dim>::n_points() const
  {
    return points.size();
  }



  template class ObservationOperator<1>;
  template class ObservationOperator<2>;
  template class ObservationOperator<3>;
} // namespace mollifem
